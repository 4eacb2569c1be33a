#!/usr/bin/env bash
# Refresh the English catalog from the source strings, then compile it.
#   scripts/update-translations.sh
# Needs GNU gettext (xgettext, msgmerge, msgfmt): apt-get install -y gettext.
# Then translate every new (empty msgstr) or "#, fuzzy" entry in
# dangqun/locale/en/LC_MESSAGES/django.po, delete the fuzzy flag, run this script again so
# django.mo is rebuilt, and commit both files (the app loads the .mo; gettext is not needed at run time).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
SETTINGS=--settings=config.settings.test
PO=dangqun/locale/en/LC_MESSAGES/django.po

for tool in xgettext msgmerge msgfmt msgattrib; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "缺少 GNU gettext（$tool）/ missing GNU gettext ($tool): apt-get install -y gettext" >&2
    exit 1
  fi
done

before=$(mktemp)
trap 'rm -f "$before"' EXIT
[ -f "$PO" ] && cp "$PO" "$before"

mkdir -p dangqun/locale
"$PY" manage.py makemessages -l en --no-location --no-obsolete \
  --ignore=.venv --ignore=node_modules --ignore=var --ignore=bench \
  "$SETTINGS"

# makemessages stamps a new POT-Creation-Date on every run; keep the old file when nothing else
# changed, so that running the script is a no-op for git and parallel branches do not conflict.
if [ -s "$before" ] && diff -q <(grep -v '^"POT-Creation-Date: ' "$before") \
                               <(grep -v '^"POT-Creation-Date: ' "$PO") >/dev/null; then
  cp "$before" "$PO"
fi

"$PY" manage.py compilemessages -l en --ignore=.venv --ignore=node_modules --ignore=var "$SETTINGS"

fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$PO" | grep -c '^msgid ' || true)
untranslated=$(msgattrib --untranslated --no-obsolete "$PO" | grep -c '^msgid ' || true)
# msgattrib also prints the header entry (msgid "") whenever it prints anything.
[ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
[ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
if [ "$fuzzy" -gt 0 ] || [ "$untranslated" -gt 0 ]; then
  echo "==> $PO: $untranslated untranslated, $fuzzy fuzzy — translate them, then run this script again." >&2
else
  echo "==> $PO: all $(($(grep -c "^msgid " "$PO") - 1)) messages translated; django.mo compiled."
fi
