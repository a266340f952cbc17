#!/bin/sh
# Container entry point: java -jar with class-data sharing (CDS).
# The pipeline (no arguments) maps an archive of the classes it loaded on an earlier run, which roughly
# halves the time to the first EM request (docs/benchmark.md, "Start-up"). There is none on the first start:
# that run writes one when it stops cleanly (SIGTERM), into the state directory, named after the jar's
# modification time and size, so a new image never maps the archive of an old one. A missing or unusable
# archive only costs start-up time (-Xshare:auto). Other commands (simulator, state, replay) run without.
JAR=/app/veeam-session-events.jar
if [ "$#" -gt 0 ] || [ -z "${STATE_DIR:-}" ] || [ ! -w "$STATE_DIR" ]; then
  exec java -jar "$JAR" "$@"
fi
ARCHIVE="$STATE_DIR/cds-$(stat -L -c '%Y-%s' "$JAR").jsa"
if [ -s "$ARCHIVE" ]; then
  exec java -XX:SharedArchiveFile="$ARCHIVE" -Xshare:auto -jar "$JAR"
fi
rm -f "$STATE_DIR"/cds-*.jsa
exec java -XX:ArchiveClassesAtExit="$ARCHIVE" -jar "$JAR"
