#!/bin/sh
# One-shot (temporalio/admin-tools): make sure the namespace exists, then register the custom search
# attributes the workflows set. Arguments are NAME=Type pairs (docker-compose.yml lists them; they must
# equal models/search_attributes.py, which tests/deploy/test_compose.py checks). Safe to re-run.
set -eu
NAMESPACE=${NAMESPACE:-default}
RETENTION=${NAMESPACE_RETENTION:-720h}
HOST=${TEMPORAL_ADDRESS%%:*}
PORT=${TEMPORAL_ADDRESS##*:}
# Talk to the server's IPv4 address: the CLI may otherwise try an IPv6 address the server does not bind.
IP=$(getent ahosts "$HOST" | awk '$2 == "STREAM" && $1 !~ /:/ { print $1; exit }')
ADDRESS="${IP:-$HOST}:$PORT"

tries=0
until temporal operator cluster health --address "$ADDRESS"; do
    tries=$((tries + 1))
    [ "$tries" -lt 30 ] || { echo "Temporal at $ADDRESS is not serving" >&2; exit 1; }
    sleep 2
done

if ! temporal operator namespace describe --address "$ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; then
    temporal operator namespace create --address "$ADDRESS" --namespace "$NAMESPACE" --retention "$RETENTION"
fi

# A namespace just created takes a few seconds to reach every server cache.
tries=0
until existing=$(temporal operator search-attribute list --address "$ADDRESS" --namespace "$NAMESPACE"); do
    tries=$((tries + 1))
    [ "$tries" -lt 30 ] || { echo "namespace $NAMESPACE is not usable" >&2; exit 1; }
    sleep 2
done
for pair in "$@"; do
    name=${pair%%=*}
    type=${pair#*=}
    if printf '%s\n' "$existing" | grep -qw -- "$name"; then
        echo "search attribute $name exists"
    else
        temporal operator search-attribute create --address "$ADDRESS" --namespace "$NAMESPACE" \
            --name "$name" --type "$type"
    fi
done
echo "Namespace $NAMESPACE and its search attributes are ready"
