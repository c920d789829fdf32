{{/* Chart name, overridable. */}}
{{- define "earshot-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of the operator's objects: the release name, plus the chart name unless it already says it. */}}
{{- define "earshot-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "earshot-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels that select the operator pods; they never change for a release. */}}
{{- define "earshot-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "earshot-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels every object of the release carries. */}}
{{- define "earshot-operator.releaseLabels" -}}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: earshot
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ include "earshot-operator.chart" . }}
{{- end }}

{{/* Labels of the operator's own objects. */}}
{{- define "earshot-operator.labels" -}}
{{ include "earshot-operator.selectorLabels" . }}
app.kubernetes.io/component: operator
{{ include "earshot-operator.releaseLabels" . }}
{{- end }}

{{- define "earshot-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "earshot-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "earshot-operator.leaseName" -}}
{{- default (include "earshot-operator.fullname" .) .Values.leaderElection.leaseName }}
{{- end }}

{{- define "earshot-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
What the operator does with the API in a namespace it watches. The chart tests run the operator
against an API server mock that enforces these rules and fail on any request they deny, and on
any rule no request needed.
*/}}
{{- define "earshot-operator.rules" -}}
# SpeechServices: informer (the autoscaler reads its cache).
- apiGroups: ["earshot.dev"]
  resources: ["speechservices"]
  verbs: ["list", "watch"]
- apiGroups: ["earshot.dev"]
  resources: ["speechservices/status"]
  verbs: ["patch"]
# Owner references with blockOwnerDeletion need this where OwnerReferencesPermissionEnforcement
# is on.
- apiGroups: ["earshot.dev"]
  resources: ["speechservices/finalizers"]
  verbs: ["update"]
# The objects of each SpeechService, written with server-side apply; the autoscaler reads the
# Deployment from the informer's cache.
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["list", "watch", "create", "patch"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["list", "watch", "create", "patch"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["list", "watch", "create", "patch"]
# The opt-in NetworkPolicy (spec.networkPolicy.enabled), deleted again when it is switched off.
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["list", "watch", "create", "patch", "delete"]
# The gateway pods: an informer the autoscaler reads, and the deletion cost of a drained pod
# before it is removed (the client reads the pod before patching it).
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}
