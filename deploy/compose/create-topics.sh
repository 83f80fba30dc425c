#!/bin/sh
# One-shot (compose service kafka-topics): creates the topics of the topic map that do not exist yet.
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
