namespace MultiCluster.Deploy.Tests;

/// <summary>The renderer gives what helm gives for the constructs the chart uses, and refuses the rest.</summary>
public sealed class ChartTemplatesTests : IDisposable
{
    private readonly string _chart = Directory.CreateTempSubdirectory("mc-chart-template-").FullName;

    public void Dispose() => Directory.Delete(_chart, recursive: true);

    private ChartTemplates Chart(string template, string values)
    {
        Directory.CreateDirectory(Path.Combine(_chart, "templates"));
        File.WriteAllText(Path.Combine(_chart, "Chart.yaml"), "name: demo\nversion: 1.2.3\nappVersion: \"4.5\"\n");
        File.WriteAllText(Path.Combine(_chart, "values.yaml"), values);
        File.WriteAllText(Path.Combine(_chart, "templates", "_helpers.tpl"), "{{- define \"demo.labels\" -}}\napp: {{ .Release.Name }}\nversion: {{ .Chart.AppVersion | quote }}\n{{- end -}}\n");
        File.WriteAllText(Path.Combine(_chart, "templates", "one.yaml"), template);
        return new ChartTemplates(_chart);
    }

    [Fact]
    public void Trims_includes_and_pipes_as_helm_does()
    {
        var chart = Chart("""
            metadata:
              labels:
                {{- include "demo.labels" . | nindent 4 }}
              {{- if .Values.on }}
              on: {{ .Values.count }}
              {{- else }}
              off: true
              {{- end }}
              tag: {{ .Values.tag | default .Chart.AppVersion }}
              name: {{ .Values.name | quote }}
            {{/* a comment */}}
            spec:
              {{- toYaml .Values.spec | nindent 2 }}

            """, "on: true\ncount: 3\ntag: \"\"\nname: say \"hi\"\nspec:\n  b: \"3600\"\n  a: [x, {k: 1}]\n");

        var rendered = chart.Render("rel", "ns")["one.yaml"];

        Assert.Equal("""
            metadata:
              labels:
                app: rel
                version: "4.5"
              on: 3
              tag: 4.5
              name: "say \"hi\""

            spec:
              a:
              - "x"
              - k: 1
              b: "3600"

            """, rendered);
        Assert.Contains("off: true", Chart("{{- if .Values.on }}on{{- else }}\noff: true\n{{- end }}", "on: false\n").Render("r", "n")["one.yaml"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ range .Values.list }}x{{ end }}", "range")]
    [InlineData("{{ $x := 1 }}", "$x")]
    [InlineData("{{ .Values.list | join \",\" }}", "join")]
    public void Refuses_what_it_does_not_know(string template, string named)
    {
        var error = Record.Exception(() => Chart(template, "list: [a]\n").Render("r", "n"));

        Assert.True(error is NotSupportedException, $"{error?.GetType().Name}: {error?.Message}");
        Assert.Contains(named, error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_the_values_do_not_have_is_an_error_not_an_empty_string()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => Chart("name: {{ .Values.nmae }}", "name: x\n").Render("r", "n"));

        Assert.Contains(".Values.nmae", error.Message, StringComparison.Ordinal);
    }
}
