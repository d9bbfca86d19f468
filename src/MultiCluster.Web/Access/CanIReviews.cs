using System.Net;
using System.Security.Claims;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.EntityFrameworkCore;
using MultiCluster.Core.Access;
using MultiCluster.Data;
using MultiCluster.Kubernetes.Clients;
using MultiCluster.Kubernetes.Reconcile;
using MultiCluster.Web.Fleet;
using MultiCluster.Web.Identity;

namespace MultiCluster.Web.Access;

/// <summary>"Can ana get pods/log in team-a?", asked of the clusters named, or of every cluster the asker sees when none are.</summary>
public sealed record CanIRequest(string User, string Verb, string Resource, string? Namespace = null, IReadOnlyList<string>? Clusters = null);

/// <summary>One cluster's answer: allowed or not and the reason it gave, or why it could not be asked (<see cref="Allowed"/> null).</summary>
public sealed record CanIClusterAnswer(string Cluster, bool? Allowed, string? Reason, string? Problem)
{
    /// <summary>"yes", "no", or "not asked" when the cluster could not answer.</summary>
    public string Answer => Allowed switch { true => "yes", false => "no", null => "not asked" };
}

/// <summary>The person as the clusters were asked about them, the question, and one answer per cluster.</summary>
public sealed record CanIAnswer(string User, string KubernetesUser, IReadOnlyList<string> KubernetesGroups, IReadOnlyList<string> Teams, string Question,
    IReadOnlyList<CanIClusterAnswer> Clusters, string? Note)
{
    /// <summary>"Yes on 2 of 3 clusters; 1 could not be asked."</summary>
    public string Summary
    {
        get
        {
            var yes = Clusters.Count(c => c.Allowed == true);
            var failed = Clusters.Count(c => c.Allowed is null);
            var asked = Clusters.Count - failed;
            var text = asked == 0 ? "No cluster could be asked." : $"Yes on {yes} of {Quotas.QuotaPolicyView.Plural(asked, "cluster")} asked.";
            return failed == 0 || asked == 0 ? text : $"{text} {failed} could not be asked.";
        }
    }
}

/// <summary>The answer, or why the question was not asked (<see cref="Forbidden"/>: the asker may not ask at all).</summary>
public sealed record CanIResult(CanIAnswer? Answer, string? Problem, bool Forbidden = false);

/// <summary>
/// "Can this person": for each cluster, a SubjectAccessReview created with the dashboard's own credentials for the identity
/// the dashboard impersonates for the person (<c>multicluster:user:&lt;name&gt;</c>, their teams' groups and
/// <c>system:authenticated</c>), so the cluster's own RBAC answers, as <c>kubectl auth can-i --as</c> would. Clusters are asked
/// concurrently, a few at a time; one that fails is an answer in words, not a failure of the others. Who may ask: the
/// fleet-wide roles, about anyone, and a team's members, about themselves ("can I"); each about the clusters they see.
/// </summary>
public sealed partial class CanIReviews(ClusterVisibility visibility, ClusterClients clients, AccessSource access, IDbContextFactory<RegistryDbContext> registry,
    TimeProvider time, ILogger<CanIReviews> logger)
{
    /// <summary>How many clusters are asked at once.</summary>
    public const int Concurrency = 8;

    /// <summary>How long one cluster is waited for.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The people one may ask about: the dashboard's users and the users named in teams, by name.</summary>
    public async Task<IReadOnlyList<string>> PeopleAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await registry.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().Select(u => u.UserName).OfType<string>().ToListAsync(cancellationToken);
        var members = (access.State?.Teams ?? []).SelectMany(t => t.Members).Where(m => m.Kind == MemberKind.User).Select(m => m.Name);
        return [.. users.Concat(members).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    public async Task<CanIResult> AskAsync(ClaimsPrincipal asker, CanIRequest request, CancellationToken cancellationToken = default)
    {
        var visible = visibility.For(asker);
        // Whoever sees a cluster may ask it about a person: the answer is the cluster's, about a cluster they see.
        if (!visible.MayAnywhere(DashboardActions.ReadFleet))
        {
            return new(null, "You see no cluster to ask: ask an Administrator for a role, or a team admin for a grant.", Forbidden: true);
        }
        var user = request.User?.Trim() ?? "";
        if (user.Length == 0 || user.Contains(':', StringComparison.Ordinal))
        {
            return new(null, user.Length == 0 ? "Name the person to ask about." : $"'{user}' is not a dashboard user's name: name the person, not their Kubernetes user.");
        }
        // The answer names the person's teams and fleet-wide role: theirs to know, and the fleet-wide readers of access'.
        if (!asker.May(DashboardActions.ReadAccess) && user != asker.Identity?.Name)
        {
            return new(null, $"Without a fleet-wide role you may ask only what you yourself may do (you asked about '{user}').", Forbidden: true);
        }
        if (string.IsNullOrWhiteSpace(request.Verb) || string.IsNullOrWhiteSpace(request.Resource))
        {
            return new(null, "Name a verb and a resource (for example get pods/log).");
        }
        var question = AccessQuestion.Parse(request.Verb, request.Resource, request.Namespace);
        var (person, known) = await PersonAsync(user, cancellationToken);
        var options = visibility.Options;
        var identity = new Identity(person.KubernetesUser(options), person.KubernetesGroups(options));
        IReadOnlyList<string> clusters = request.Clusters is { Count: > 0 } named
            ? [.. named.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]
            : [.. visible.Names];
        if (clusters.Count == 0)
        {
            return new(null, "There is no cluster you may see to ask.");
        }

        var answers = new CanIClusterAnswer[clusters.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, clusters.Count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (i, ct) => answers[i] = visible.CanSee(clusters[i])
                ? await AskClusterAsync(clusters[i], identity, question, ct)
                : new(clusters[i], null, null, $"There is no cluster named '{clusters[i]}' that you may see."));

        var note = known || person.Teams.Count > 0 ? null
            : $"'{user}' is neither a dashboard user nor a member of a team: the clusters were asked about someone who is only in system:authenticated.";
        return new(new CanIAnswer(user, identity.User, identity.Groups, [.. person.Teams.Select(t => t.Name)], question.ToString(), answers, note), null);
    }

    /// <summary>The person's teams (by name, and by the identity-provider groups the account keeps), their fleet-wide role, and whether the dashboard knows the account.</summary>
    private async Task<(PersonAccess Person, bool Known)> PersonAsync(string user, CancellationToken cancellationToken)
    {
        await using var db = await registry.CreateDbContextAsync(cancellationToken);
        var account = await db.Users.AsNoTracking().Where(u => u.UserName == user).Select(u => u.Id).SingleOrDefaultAsync(cancellationToken);
        IReadOnlyCollection<string> groups = account is null ? []
            : await db.UserClaims.AsNoTracking().Where(c => c.UserId == account && c.ClaimType == ClusterVisibility.GroupsClaim).Select(c => c.ClaimValue).OfType<string>().ToListAsync(cancellationToken);
        // Their fleet-wide role's group is sent too, as when the dashboard reads for them.
        var roles = account is null ? []
            : await db.UserRoles.AsNoTracking().Where(r => r.UserId == account).Join(db.Roles, r => r.RoleId, r => r.Id, (_, r) => r.Name).OfType<string>().ToListAsync(cancellationToken);
        var fleetRole = DashboardRoles.All.FirstOrDefault(roles.Contains);
        var state = access.State;
        return (PersonAccess.Of(user, groups, state?.Teams ?? [], state?.Grants ?? [], fleetRole), account is not null);
    }

    private async Task<CanIClusterAnswer> AskClusterAsync(string cluster, Identity identity, AccessQuestion question, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        k8s.Kubernetes? client = null;
        try
        {
            client = await clients.OpenAsync(cluster, cancellationToken: linked.Token);
            if (client is null)
            {
                return new(cluster, null, null, $"{cluster} is not registered: the dashboard holds no credentials to ask it with.");
            }
            var review = await client.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
            {
                Spec = new V1SubjectAccessReviewSpec
                {
                    User = identity.User,
                    Groups = [.. identity.Groups],
                    ResourceAttributes = new V1ResourceAttributes
                    {
                        Verb = question.Verb, Group = question.ApiGroup, Resource = question.Resource, Subresource = question.Subresource,
                        NamespaceProperty = question.Namespace, Name = question.Name,
                    },
                },
            }, cancellationToken: linked.Token);
            var status = review.Status;
            var reason = string.Join(" ", new[] { status?.Reason, status?.EvaluationError is { Length: > 0 } error ? $"(evaluation error: {error})" : null }.Where(s => !string.IsNullOrWhiteSpace(s)));
            return new(cluster, status?.Allowed == true, reason.Length > 0 ? reason : null, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Explain(ex, cluster, client) is { } problem)
        {
            Failed(logger, cluster, problem);
            return new(cluster, null, null, problem);
        }
        finally
        {
            client?.Dispose();
        }
    }

    private static string? Explain(Exception ex, string cluster, k8s.Kubernetes? client) => ex switch
    {
        HttpOperationException { Response.StatusCode: HttpStatusCode.Forbidden } http =>
            $"Forbidden: the dashboard's credentials on {cluster} may not create SubjectAccessReviews ({KubernetesStatus.MessageOf(http)}). Give them create on subjectaccessreviews.authorization.k8s.io.",
        OperationCanceledException => $"Unreachable: {cluster} did not answer within {Timeout.TotalSeconds:0} seconds.",
        HttpOperationException { Response.StatusCode: HttpStatusCode.Unauthorized } => $"Refused: {cluster} does not accept the dashboard's credentials (401 Unauthorized); they are wrong, expired or revoked.",
        HttpOperationException http => $"{cluster} refused the review: {KubernetesStatus.MessageOf(http)}",
        _ when client is not null && ConnectionTester.Explain(ex, client.BaseUri) is { } words => $"Unreachable: {words}",
        _ => null,
    };

    private sealed record Identity(string User, IReadOnlyList<string> Groups);

    [LoggerMessage(EventId = 2400, Level = LogLevel.Information, Message = "A can-i review could not be asked of cluster {Cluster}: {Problem}")]
    private static partial void Failed(ILogger logger, string cluster, string problem);
}
