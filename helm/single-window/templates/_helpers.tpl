{{/* Names and labels shared by every object of the release. */}}
{{- define "sw.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "sw.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/part-of: single-window
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* Selector labels of one component: call with (dict "root" $ "name" $name). */}}
{{- define "sw.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "sw.image" -}}
{{- $tag := .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- printf "%s/%s-%s:%s" .root.Values.image.registry .root.Values.image.repository .name $tag -}}
{{- end -}}

{{- define "sw.secret" -}}
{{- required "secrets.existingSecret: create a Secret with the client secrets and ledger keys (see values.yaml)" .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "sw.rabbitmq.host" -}}
{{- if .Values.rabbitmq.enabled -}}{{ include "sw.fullname" . }}-rabbitmq{{- else -}}{{ required "rabbitmq.host when rabbitmq.enabled is false" .Values.rabbitmq.host }}{{- end -}}
{{- end -}}

{{- define "sw.rabbitmq.secret" -}}
{{- if .Values.rabbitmq.enabled -}}{{ include "sw.fullname" . }}-rabbitmq-default-user{{- else -}}{{ required "rabbitmq.existingSecret when rabbitmq.enabled is false" .Values.rabbitmq.existingSecret }}{{- end -}}
{{- end -}}

{{- define "sw.postgresql.host" -}}
{{- if .Values.postgresql.enabled -}}{{ include "sw.fullname" . }}-postgresql-rw{{- else -}}{{ required "postgresql.host when postgresql.enabled is false" .Values.postgresql.host }}{{- end -}}
{{- end -}}
