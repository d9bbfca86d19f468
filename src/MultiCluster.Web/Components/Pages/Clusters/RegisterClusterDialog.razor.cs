using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using MultiCluster.Core;
using MultiCluster.Kubernetes.Kubeconfigs;
using MultiCluster.Web.Clusters;

namespace MultiCluster.Web.Components.Pages.Clusters;

public sealed partial class RegisterClusterDialog
{
    private readonly KubeconfigImport _import = new();
    private readonly ManualRegistration _manual = new();
    private readonly List<string> _problems = [];
    private int _tab;
    private string? _labels;
    private bool _busy;

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private ClusterRegistry Registry { get; set; } = default!;

    private void ReadContexts()
    {
        _problems.Clear();
        _import.Read();
    }

    private async Task UploadAsync(InputFileChangeEventArgs e)
    {
        _problems.Clear();
        if (e.File.Size > KubeconfigReader.MaxBytes)
        {
            _problems.Add($"{e.File.Name} is {e.File.Size / 1024.0 / 1024.0:0.0} MB; the limit is 1 MB.");
            return;
        }
        using var reader = new StreamReader(e.File.OpenReadStream(KubeconfigReader.MaxBytes));
        _import.Text = await reader.ReadToEndAsync();
        _import.Read();
    }

    private async Task SubmitAsync()
    {
        _problems.Clear();
        var (labels, labelError) = ClusterLabels.Parse(_labels);
        if (labelError is not null)
        {
            _problems.Add(labelError);
            return;
        }
        var registrations = _tab == 0 ? FromKubeconfig(labels) : [_manual.ToRegistration(labels)];
        if (registrations.Count == 0)
        {
            return;
        }
        _busy = true;
        try
        {
            var outcome = await Registry.RegisterAsync((await AuthenticationState).User, registrations);
            if (outcome.Succeeded)
            {
                Dialog.Close(DialogResult.Ok<IReadOnlyList<string>>(outcome.Results.Select(r => r.Name).ToList()));
                return;
            }
            _problems.AddRange(outcome.Results.Where(r => !r.Succeeded).Select(r => $"{r.Name}: {r.Problem}"));
        }
        finally
        {
            _busy = false;
        }
    }

    private IReadOnlyList<ClusterRegistration> FromKubeconfig(IReadOnlyDictionary<string, string> labels)
    {
        if (_import.Contexts.Count == 0)
        {
            _import.Read();
        }
        if (_import.Error is not null)
        {
            return [];
        }
        if (!_import.HasSelection)
        {
            _problems.Add("Pick at least one context to register.");
            return [];
        }
        return _import.Registrations(labels);
    }

    private void Cancel() => Dialog.Cancel();

    private sealed class ManualRegistration
    {
        public string? Name { get; set; }

        public string? DisplayName { get; set; }

        public string? Server { get; set; }

        public string? Token { get; set; }

        public string? CertificateAuthority { get; set; }

        public bool SkipTlsVerify { get; set; }

        public ClusterRegistration ToRegistration(IReadOnlyDictionary<string, string> labels) => new(
            (Name ?? "").Trim(),
            DisplayName,
            Uri.TryCreate(Server?.Trim(), UriKind.Absolute, out var server) ? server : null,
            new ClusterCredentials
            {
                Token = string.IsNullOrWhiteSpace(Token) ? null : Token.Trim(),
                CertificateAuthorityPem = string.IsNullOrWhiteSpace(CertificateAuthority) ? null : CertificateAuthority.Trim(),
                InsecureSkipTlsVerify = SkipTlsVerify,
            },
            labels);
    }
}
