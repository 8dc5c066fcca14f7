#!/bin/sh
# Regenerates words-en.txt, the ordinary English words the guard never takes
# for another spelling of a name or for a given name on its own, from
# SCOWL as Debian packages it (apt-get install wamerican): its lower-case
# words of 3 to 12 letters. SCOWL's licence is in README.md beside this file.
set -e
LC_ALL=C grep -E '^[a-z]{3,12}$' /usr/share/dict/american-english | LC_ALL=C sort -u > "$(dirname "$0")/words-en.txt"
