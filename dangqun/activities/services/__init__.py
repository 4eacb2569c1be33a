"""Writes of the activities app, one module per aggregate (activities, registrations, checkin, …).

Services other apps call are re-exported here.
"""

from dangqun.activities.services.invitations import invite_person, revoke_invitation

__all__ = ["invite_person", "revoke_invitation"]
