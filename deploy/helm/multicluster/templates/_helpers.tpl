{{/* The release's name is the name of its objects (namespaced); cluster-wide objects add the namespace. */}}
{{- define "multicluster.fullname" -}}
{{ .Release.Name }}
{{- end -}}

{{- define "multicluster.selectorLabels" -}}
app.kubernetes.io/name: multicluster
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "multicluster.labels" -}}
{{ include "multicluster.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: multicluster-{{ .Chart.Version }}
{{- end -}}

{{- define "multicluster.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{ .Values.serviceAccount.name | default .Release.Name }}
{{- else -}}
{{ .Values.serviceAccount.name | default "default" }}
{{- end -}}
{{- end -}}

{{- define "multicluster.databaseSecret" -}}
{{- if .Values.database.connectionString -}}
{{ .Release.Name }}-database
{{- else -}}
{{ .Values.database.existingSecret }}
{{- end -}}
{{- end -}}
