#!/bin/sh
# Provisions the platform's RabbitMQ through its management API (compose runs it once RabbitMQ is
# healthy; the Helm chart runs it as a Job): a user per service, its password from the environment
# (SW_BROKER_PASSWORD_<SERVICE>), then definitions.json — the exchanges, quorum queues and bindings,
# and each user's permissions: configure nothing, write only the exchanges it sends on, read only its
# own queue (ProvisionedBrokerTest keeps definitions.json equal to what the code declares).
# Needs: RABBITMQ_API (e.g. http://rabbitmq:15672/api), RABBITMQ_ADMIN_USER, RABBITMQ_ADMIN_PASSWORD.
set -eu
definitions="${DEFINITIONS:-$(dirname "$0")/definitions.json}"
for service in declaration customs inspection tax forex logistics; do
  variable="SW_BROKER_PASSWORD_$(echo "$service" | tr '[:lower:]' '[:upper:]')"
  password=$(printenv "$variable" || true)
  if [ -z "$password" ]; then
    echo "$variable is not set: every service needs its own broker password" >&2
    exit 1
  fi
  # JSON-safe by construction: compose-secrets.sh and the chart's Secret hold hex or base64 values
  curl -fsS -u "$RABBITMQ_ADMIN_USER:$RABBITMQ_ADMIN_PASSWORD" -X PUT -H 'content-type: application/json' \
      -d "{\"password\": \"$password\", \"tags\": \"\"}" "$RABBITMQ_API/users/sw-$service"
  echo "user sw-$service"
done
curl -fsS -u "$RABBITMQ_ADMIN_USER:$RABBITMQ_ADMIN_PASSWORD" -X POST -H 'content-type: application/json' \
    --data-binary "@$definitions" "$RABBITMQ_API/definitions"
echo "topology and permissions imported from $definitions"
