{{- define "kfm.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "kfm.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selects the pods of one component: "api", or "worker" with kfm-tasks.org/class. */}}
{{- define "kfm.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- with .class }}
kfm-tasks.org/class: {{ . }}
{{- end }}
{{- end -}}

{{- define "kfm.image" -}}
{{- $tag := .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- printf "%s/%s/%s:%s" .root.Values.image.registry .root.Values.image.group .name $tag -}}
{{- end -}}

{{- define "kfm.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "kfm.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* The class topic a worker class consumes; the worker's channel of that name reads it. */}}
{{- define "kfm.classTopic" -}}
{{- printf "kfm.tasks.%s" . -}}
{{- end -}}

{{/* The worker's consumer group for a class (mp.messaging.incoming.<class>.group.id). */}}
{{- define "kfm.classGroup" -}}
{{- printf "kfm-worker-%s" . -}}
{{- end -}}

{{- define "kfm.envName" -}}
{{- . | upper | replace "-" "_" -}}
{{- end -}}

{{/*
The database connection from its Secret, as KFM_DB_* (api) or KFM_WORKER_DB_* (workers). The
URL is put together from host, port and database, so CloudNativePG's app Secret fits as is.
*/}}
{{- define "kfm.databaseEnv" -}}
{{- $keys := .secret.keys -}}
- name: {{ .prefix }}_HOST
  valueFrom: { secretKeyRef: { name: {{ .name }}, key: {{ $keys.host }} } }
- name: {{ .prefix }}_PORT
  valueFrom: { secretKeyRef: { name: {{ .name }}, key: {{ $keys.port }} } }
- name: {{ .prefix }}_NAME
  valueFrom: { secretKeyRef: { name: {{ .name }}, key: {{ $keys.database }} } }
- name: {{ .prefix }}_URL
  value: postgresql://$({{ .prefix }}_HOST):$({{ .prefix }}_PORT)/$({{ .prefix }}_NAME)
- name: {{ .prefix }}_USER
  valueFrom: { secretKeyRef: { name: {{ .name }}, key: {{ $keys.username }} } }
- name: {{ .prefix }}_PASSWORD
  valueFrom: { secretKeyRef: { name: {{ .name }}, key: {{ $keys.password }} } }
{{- end -}}

{{- define "kfm.commonEnv" -}}
{{- $s3 := .Values.artifacts.s3 -}}
- name: KFM_KAFKA
  value: {{ .Values.kafka.bootstrapServers | quote }}
- name: KFM_ARTIFACTS_STORE
  value: s3
- name: KFM_ARTIFACTS_S3_ENDPOINT
  valueFrom: { secretKeyRef: { name: {{ $s3.secret.name }}, key: {{ $s3.secret.keys.endpoint }} } }
- name: KFM_ARTIFACTS_S3_BUCKET
  valueFrom: { secretKeyRef: { name: {{ $s3.secret.name }}, key: {{ $s3.secret.keys.bucket }} } }
- name: KFM_ARTIFACTS_S3_ACCESS_KEY
  valueFrom: { secretKeyRef: { name: {{ $s3.secret.name }}, key: {{ $s3.secret.keys.accessKey }} } }
- name: KFM_ARTIFACTS_S3_SECRET_KEY
  valueFrom: { secretKeyRef: { name: {{ $s3.secret.name }}, key: {{ $s3.secret.keys.secretKey }} } }
- name: KFM_ARTIFACTS_S3_REGION
  value: {{ $s3.region | quote }}
- name: KFM_ARTIFACTS_S3_PATH_STYLE
  value: {{ $s3.pathStyle | quote }}
- name: KFM_LOG_JSON
  value: {{ .Values.logs.json | quote }}
{{- if .Values.tracing.otlpEndpoint }}
- name: KFM_OTEL_SAMPLE_RATIO
  value: {{ .Values.tracing.sampleRatio | quote }}
- name: QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ .Values.tracing.otlpEndpoint | quote }}
{{- end }}
{{- end -}}

{{- define "kfm.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
fsGroup: {{ .Values.securityContext.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "kfm.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{/* Whether to render Prometheus Operator monitors: auto follows the cluster's CRDs. */}}
{{- define "kfm.monitors" -}}
{{- $mode := .Values.metrics.monitors -}}
{{- if or (eq $mode "always") (and (eq $mode "auto") (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor")) -}}
true
{{- end -}}
{{- end -}}

{{/*
One egress rule. A rule without destinations would allow every destination, so an empty list is
refused instead of rendered.
*/}}
{{/*
The trace collector, when traces are exported: without it the policy would drop every span
silently.
*/}}
{{- define "kfm.collectorEgress" -}}
{{- if .Values.tracing.otlpEndpoint -}}
{{- if not .Values.networkPolicy.collector -}}
{{- fail "tracing.otlpEndpoint is set: networkPolicy.collector must say where the collector is" -}}
{{- end -}}
{{- include "kfm.egressRule" .Values.networkPolicy.collector -}}
{{- end -}}
{{- end -}}

{{- define "kfm.egressRule" -}}
{{- if not .to -}}
{{- fail "every networkPolicy egress entry needs at least one destination in to" -}}
{{- end -}}
- to:
    {{- toYaml .to | nindent 4 }}
  ports:
    {{- toYaml .ports | nindent 4 }}
{{- end -}}
