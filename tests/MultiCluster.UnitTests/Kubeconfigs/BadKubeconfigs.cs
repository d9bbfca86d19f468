using static MultiCluster.UnitTests.Kubeconfigs.TestKubeconfigs;

namespace MultiCluster.UnitTests.Kubeconfigs;

/// <summary>
/// Kubeconfigs the dashboard must refuse, each with the words the user must see: malformed, hostile,
/// huge, running code, reading files, of the wrong types. Shared by the reader tests and, later, the API tests.
/// </summary>
public static class BadKubeconfigs
{
    public static IEnumerable<object[]> All => Cases().Select(c => new object[] { c.Name, c.Yaml, c.Expected });

    private static IEnumerable<(string Name, string Yaml, string Expected)> Cases()
    {
        // The document itself.
        yield return ("empty", "", "The kubeconfig is empty");
        yield return ("whitespace", "  \n\t\n", "The kubeconfig is empty");
        yield return ("unclosed flow", "clusters: [\n", "The kubeconfig is not valid YAML: line");
        yield return ("unclosed quote", "clusters: \"abc\n", "The kubeconfig is not valid YAML: line");
        yield return ("bad indentation", "clusters:\n- name: a\n   cluster: x\n  - b", "The kubeconfig is not valid YAML: line");
        yield return ("tab indentation", "clusters:\n\t- name: a", "found invalid tab as indentation");
        yield return ("root list", "- a\n- b\n", "must be a YAML mapping with clusters, users and contexts");
        yield return ("root scalar", "hello", "must be a YAML mapping with clusters, users and contexts");
        yield return ("two documents", "a: 1\n---\nb: 2\n", "more than one YAML document");
        yield return ("billion laughs", "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "YAML anchors (&name) are not accepted");
        yield return ("alias", "clusters: *c\n", "YAML aliases (*name) are not accepted");
        yield return ("deep nesting", "x: " + new string('[', 200) + new string(']', 200), "nested more than 32 levels deep");
        yield return ("huge", "# " + new string('x', 1_100_000) + "\n" + With(), "the limit is 1 MB");
        yield return ("duplicate key", "clusters: []\nclusters: []\n", "The kubeconfig is not valid YAML: line 2, column 9: duplicate key clusters.");
        yield return ("not a kubeconfig", "apiVersion: v1\nkind: Pod\nmetadata: { name: x }\n", "this is a Kubernetes 'Pod' object, not a kubeconfig");
        yield return ("future version", With().Replace("apiVersion: v1", "apiVersion: v2", StringComparison.Ordinal), "kubeconfig apiVersion 'v2' is not supported");
        yield return ("clusters a string", "clusters: abc\nusers: []\ncontexts: []\n", "Line 1, column 11: clusters must be a list, not 'abc'.");
        yield return ("clusters a mapping", "clusters: { a: b }\n", "clusters must be a list, not a mapping");
        yield return ("cluster entry a scalar", "clusters:\n- just-a-name\n", "each entry of clusters must be a mapping with a name");
        yield return ("users entry a list", "users:\n- [a, b]\n", "each entry of users must be a mapping with a name, not a list");
        yield return ("contexts a mapping", "contexts: { ctx: {} }\n", "contexts must be a list, not a mapping");
        yield return ("context without name", With().Replace("- name: ctx1", "- nome: ctx1", StringComparison.Ordinal), "a context entry has no name");
        yield return ("cluster without name", With().Replace("- name: c1", "- cluster-name: c1", StringComparison.Ordinal), "a cluster entry has no name");
        yield return ("name is a mapping", With().Replace("- name: u1", "- name: { a: b }", StringComparison.Ordinal), "name of a user entry must be a string, not a mapping");
        yield return ("context body missing", "clusters: []\nusers: []\ncontexts:\n- name: lonely\n", "context 'lonely' has no context: section");
        yield return ("context body a list", With(context: "").Replace("  context:\n    \n", "  context: [a]\n", StringComparison.Ordinal), "context of context 'ctx1' must be a mapping, not a list");
        yield return ("duplicate contexts", With() + "\n" + "contexts:\n- name: a\n  context: { cluster: c1, user: u1 }\n- name: a\n  context: { cluster: c1, user: u1 }\n", "The kubeconfig is not valid YAML");
        yield return ("duplicate context names", "clusters: []\nusers: []\ncontexts:\n- name: a\n  context: { cluster: c, user: u }\n- name: a\n  context: { cluster: c, user: u }\n", "two contexts are named 'a'");
        yield return ("duplicate cluster names", "clusters:\n- name: c\n  cluster: { server: 'https://a' }\n- name: c\n  cluster: { server: 'https://b' }\n", "two clusters are named 'c'");
        yield return ("no contexts", "clusters: []\nusers: []\ncontexts: []\n", "The kubeconfig has no contexts");
        yield return ("contexts missing", "clusters: []\nusers: []\n", "The kubeconfig has no contexts");
        yield return ("server a list", With(cluster: "server: [a, b]"), "server of cluster 'c1' must be a string, not a list");
        yield return ("skip-tls not a bool", With(cluster: "server: https://a\ninsecure-skip-tls-verify: maybe"), "insecure-skip-tls-verify of cluster 'c1' must be true or false, not 'maybe'");
        yield return ("token a mapping", With(user: "token: { a: b }"), "token of user 'u1' must be a string, not a mapping");

        // Code and files on the server.
        yield return ("exec plugin", With(user: "exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: aws\n  args: [eks, get-token]"), "user 'u1' gets its credentials by running a command (exec: aws). The dashboard never runs commands from a kubeconfig");
        yield return ("exec without command", With(user: "exec: {}"), "gets its credentials by running a command (exec: a command)");
        yield return ("exec as a string", With(user: "exec: /bin/sh -c 'curl evil'"), "gets its credentials by running a command (exec).");
        yield return ("exec next to a token", With(user: "token: abc\nexec: { command: sh }"), "running a command (exec: sh)");
        yield return ("auth-provider gcp", With(user: "auth-provider:\n  name: gcp\n  config: { cmd-path: /usr/bin/gcloud }"), "uses the auth-provider plugin 'gcp', which the dashboard does not run");
        yield return ("auth-provider oidc", With(user: "auth-provider:\n  name: oidc\n  config: { idp-issuer-url: https://idp }"), "uses the auth-provider plugin 'oidc'");
        yield return ("token file", With(user: "tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token"), "refers to a file on the server (tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token)");
        yield return ("client certificate file", With(user: "client-certificate: /etc/passwd\nclient-key-data: abc"), "refers to a file on the server (client-certificate: /etc/passwd). The dashboard never reads local files");
        yield return ("client key file", With(user: "client-key: ~/.ssh/id_rsa"), "refers to a file on the server (client-key: ~/.ssh/id_rsa)");
        yield return ("certificate authority file", With(cluster: "server: https://a\ncertificate-authority: /etc/shadow"), "cluster 'c1' refers to a file on the server (certificate-authority: /etc/shadow)");
        yield return ("basic auth", With(user: "username: admin\npassword: hunter2"), "uses a username and password (basic authentication)");
        yield return ("password only", With(user: "password: hunter2"), "uses a username and password (basic authentication)");
        yield return ("impersonation", With(user: "token: abc\nas: system:admin"), "sets impersonation (as); the dashboard decides impersonation itself");
        yield return ("impersonated groups", With(user: "token: abc\nas-groups: [system:masters]"), "sets impersonation (as-groups)");
        yield return ("proxy", With(cluster: "server: https://a\nproxy-url: socks5://attacker:1080"), "is reached through a proxy (proxy-url)");

        // References and values.
        yield return ("missing cluster", With(context: "cluster: nowhere\nuser: u1"), "Context 'ctx1' uses cluster 'nowhere', which the kubeconfig does not define.");
        yield return ("missing user", With(context: "cluster: c1\nuser: nobody"), "Context 'ctx1' uses user 'nobody', which the kubeconfig does not define.");
        yield return ("context names no cluster", With(context: "user: u1"), "Context 'ctx1' names no cluster.");
        yield return ("context names no user", With(context: "cluster: c1"), "Context 'ctx1' names no user.");
        yield return ("no server", With(cluster: "certificate-authority-data: " + Base64(CaPem)), "cluster 'c1' has no server URL.");
        yield return ("server not a url", With(cluster: "server: not a url"), "the server of cluster 'c1' ('not a url') is not an http(s) URL");
        yield return ("server relative", With(cluster: "server: /api"), "is not an http(s) URL");
        yield return ("server ftp", With(cluster: "server: ftp://10.0.0.1"), "the server of cluster 'c1' ('ftp://10.0.0.1') is not an http(s) URL");
        yield return ("server file url", With(cluster: "server: file:///etc/passwd"), "is not an http(s) URL");
        yield return ("server with user info", With(cluster: "server: https://admin:pw@10.0.0.1"), "must be a plain URL, without user name, query or fragment");
        yield return ("server with query", With(cluster: "server: https://10.0.0.1/?x=1"), "must be a plain URL, without user name, query or fragment");
        yield return ("ca not base64", With(cluster: "server: https://a\ncertificate-authority-data: '%%%not-base64%%%'"), "certificate-authority-data of cluster 'c1' is not valid base64");
        yield return ("ca not pem", With(cluster: "server: https://a\ncertificate-authority-data: " + Base64("just some text")), "certificate-authority-data of cluster 'c1' does not hold PEM data");
        yield return ("ca garbage pem", With(cluster: "server: https://a\ncertificate-authority-data: " + Base64("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")), "certificate-authority-data of cluster 'c1' is not a PEM certificate");
        yield return ("client certificate without key", With(user: "client-certificate-data: " + Base64(ClientCertificatePem)), "has a client certificate without its key, or a key without its certificate");
        yield return ("client key without certificate", With(user: "client-key-data: " + Base64(ClientKeyPem)), "has a client certificate without its key, or a key without its certificate");
        yield return ("mismatched key", With(user: $"client-certificate-data: {Base64(ClientCertificatePem)}\nclient-key-data: {Base64(OtherKeyPem)}"), "are not a matching PEM certificate and private key");
        yield return ("client certificate not base64", With(user: "client-certificate-data: '***'\nclient-key-data: " + Base64(ClientKeyPem)), "client-certificate-data of user 'u1' is not valid base64");
        yield return ("no credentials", With(user: "{}"), "user 'u1' has no credentials the dashboard can use");
        yield return ("blank token", With(user: "token: '   '"), "user 'u1' has no credentials the dashboard can use");
        yield return ("null user body", With(user: "~"), "user 'u1' has no credentials the dashboard can use");
    }
}
