using Microsoft.AspNetCore.Identity;

namespace MultiCluster.Data.Entities;

/// <summary>A person who signs in to the dashboard (local account; OpenID Connect users get one too).</summary>
public sealed class DashboardUser : IdentityUser
{
    /// <summary>Set for the bootstrap admin and after a reset: the next sign-in must choose a new password.</summary>
    public bool MustChangePassword { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
