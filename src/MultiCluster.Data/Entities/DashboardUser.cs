using Microsoft.AspNetCore.Identity;

namespace MultiCluster.Data.Entities;

/// <summary>A person who signs in to the dashboard (local account; OpenID Connect users get one too).</summary>
public sealed class DashboardUser : IdentityUser
{
    /// <summary>Set for the bootstrap admin and after a reset: the next sign-in must choose a new password.</summary>
    public bool MustChangePassword { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set by an administrator (<c>admin disable-user</c>): no sign-in, session, token or hub stream works until enabled.</summary>
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>The last sign-in through single sign-on; null for local accounts. Its age bounds what the account's tokens and sessions may do.</summary>
    public DateTimeOffset? SingleSignOnAt { get; set; }
}
