#!/bin/sh
# One-shot (compose service kafka-topics): creates the topics of the topic map that do not exist yet, then the
# principals and their ACLs.
# The map (schemas/src/main/resources/runway/topics.txt) stays the single source of topic names.
set -eu

BOOTSTRAP="${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}"
MAP="${TOPIC_MAP:-/etc/runway/topics.txt}"
TOPICS=/opt/kafka/bin/kafka-topics.sh

# One listing up front: each kafka-topics.sh call is a JVM start, so a rerun should not pay one per topic.
existing=$("$TOPICS" --bootstrap-server "$BOOTSTRAP" --list)

grep -v '^[[:space:]]*#' "$MAP" | while IFS='|' read -r topic partitions _rest; do
  topic=$(printf '%s' "$topic" | tr -d '[:space:]')
  partitions=$(printf '%s' "$partitions" | tr -d '[:space:]')
  [ -n "$topic" ] || continue
  if printf '%s\n' "$existing" | grep -qx "$topic"; then
    echo "topic $topic exists"
    continue
  fi
  # Replication factor 1: the compose broker is a single node.
  "$TOPICS" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor 1
done
echo "topics of $MAP in place"

# Principals: a SCRAM-SHA-512 user per service and one read-only subscriber (passwords from KAFKA_PASSWORD_<NAME>),
# with the ACLs the topic map implies (the same as stack/bin/KafkaSetup.java and k8s/backbone/kafka-users.yaml):
# WRITE on the topics a principal produces, READ on those it consumes, READ on its consumer groups (by prefix).
CONFIGS=/opt/kafka/bin/kafka-configs.sh
ACLS=/opt/kafka/bin/kafka-acls.sh
# principal|name in the map|group prefix
for entry in "orchestrator|orchestrator|orchestrator" "validator|validator|validator-service" \
    "executor|executor|runway-executor" "health-watcher|health-watcher|health-watcher" \
    "notifier|notifier|runway-notifier" "runway-subscriber|outside subscribers|runway-subscriber"; do
  principal=${entry%%|*}; rest=${entry#*|}; name=${rest%%|*}; group=${rest#*|}
  var=$(printf 'KAFKA_PASSWORD_%s' "$principal" | tr 'a-z-' 'A-Z_')
  password=$(printenv "$var") || { echo "$var is not set" >&2; exit 1; }
  "$CONFIGS" --bootstrap-server "$BOOTSTRAP" --alter --entity-type users --entity-name "$principal" \
    --add-config "SCRAM-SHA-512=[iterations=8192,password=$password]"
  # Columns 3 and 4 of the map: producers and consumers, comma-separated names.
  for column in 3:Write 4:Read; do
    topics=$(grep -v '^[[:space:]]*#' "$MAP" | awk -F'|' -v col="${column%%:*}" -v who="$name" '
      NF > 3 { n = split($col, names, ","); for (i = 1; i <= n; i++) { gsub(/^ +| +$/, "", names[i]); if (names[i] == who) { gsub(/ /, "", $1); print "--topic " $1 } } }')
    [ -z "$topics" ] || "$ACLS" --bootstrap-server "$BOOTSTRAP" --add --allow-principal "User:$principal" \
      --operation "${column#*:}" $topics
  done
  "$ACLS" --bootstrap-server "$BOOTSTRAP" --add --allow-principal "User:$principal" --operation Read \
    --group "$group" --resource-pattern-type prefixed
done
echo "principals and ACLs of $MAP in place"
