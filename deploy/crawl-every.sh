#!/bin/sh
# Runs `newscrawl "$@"` every NEWSCRAWL_INTERVAL seconds (default 3600, start to start) in a container.
# SIGTERM/SIGINT are passed to the running crawl and waited for, so its last batch and manifest are written.
set -u
interval="${NEWSCRAWL_INTERVAL:-3600}"
case "$interval" in
    '' | *[!0-9]*) echo "crawl-every: NEWSCRAWL_INTERVAL=$interval: give whole seconds" >&2; exit 2 ;;
esac
child=""

stop() {
    if [ -n "$child" ]; then
        kill -TERM "$child" 2>/dev/null
        wait "$child"
    fi
    exit 0
}
trap stop TERM INT

while :; do
    started=$(date +%s)
    newscrawl "$@" &
    child=$!
    wait "$child"
    status=$?
    child=""
    if [ "$status" -ne 0 ]; then
        echo "crawl-every: newscrawl exited with status $status; the next run starts on schedule" >&2
    fi
    pause=$((interval - ($(date +%s) - started)))
    if [ "$pause" -gt 0 ]; then
        # sleep in the background so a stop signal interrupts the pause at once
        sleep "$pause" &
        child=$!
        wait "$child"
        child=""
    fi
done
