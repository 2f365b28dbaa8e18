-- One host (infra/compose.yaml): Keycloak keeps its own database next to the services' one.
create database keycloak owner singlewindow;
