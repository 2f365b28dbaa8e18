#!/bin/sh
# Writes infra/.env for infra/compose.yaml: every password, client secret and ledger key the platform
# needs, each a fresh random value. A variable already in infra/.env is kept (run it again after an
# upgrade to add new ones). Keep the file out of version control and back it up: the ledger keys
# protect the consumers' and payers' records, and changing one needs the rotation in docs/security.md;
# the webhooks key seals the subscriptions' signing secrets (docs/webhooks.md).
set -eu
cd "$(dirname "$0")"
umask 077
touch .env
for name in SW_DB_PASSWORD SW_RABBITMQ_PASSWORD SW_KEYCLOAK_ADMIN_PASSWORD SW_GRAFANA_ADMIN_PASSWORD \
    SW_CLIENT_SECRET_GATEWAY SW_CLIENT_SECRET_DECLARATION SW_CLIENT_SECRET_CUSTOMS SW_CLIENT_SECRET_INSPECTION \
    SW_CLIENT_SECRET_TAX SW_CLIENT_SECRET_FOREX SW_CLIENT_SECRET_LOGISTICS SW_TAX_LEDGERKEY SW_FOREX_LEDGERKEY SW_WEBHOOKS_SECRETKEY \
    SW_BROKER_PASSWORD_DECLARATION SW_BROKER_PASSWORD_CUSTOMS SW_BROKER_PASSWORD_INSPECTION SW_BROKER_PASSWORD_TAX \
    SW_BROKER_PASSWORD_FOREX SW_BROKER_PASSWORD_LOGISTICS \
    SW_DB_PASSWORD_DECLARATION SW_DB_PASSWORD_CUSTOMS SW_DB_PASSWORD_INSPECTION SW_DB_PASSWORD_TAX \
    SW_DB_PASSWORD_FOREX SW_DB_PASSWORD_LOGISTICS; do
  if ! grep -q "^$name=" .env; then
    echo "$name=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')" >> .env
    echo "generated $name"
  fi
done
echo "infra/.env holds the secrets docker compose -f infra/compose.yaml reads"
