"""Models of the centers app: centers and their spaces; bookings and group visits."""

from dangqun.centers.models.bookings import Booking, BookingSeries, GroupVisit
from dangqun.centers.models.centers import Blackout, ServiceCenter, Space, SpacePhoto

__all__ = ["Blackout", "Booking", "BookingSeries", "GroupVisit", "ServiceCenter", "Space", "SpacePhoto"]
