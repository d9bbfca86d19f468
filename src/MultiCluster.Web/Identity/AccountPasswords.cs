using Microsoft.AspNetCore.Identity;
using MultiCluster.Data;
using MultiCluster.Data.Entities;

namespace MultiCluster.Web.Identity;

/// <summary>A user changing their own password: the new security stamp ends their other sessions, and their tokens end too.</summary>
public sealed class AccountPasswords(UserManager<DashboardUser> users, PersonalAccessTokens tokens, AuditLog audit)
{
    /// <summary>Returns the problem in plain words, or null when the password changed.</summary>
    public async Task<string?> ChangeAsync(DashboardUser user, string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        if (newPassword == currentPassword)
        {
            return "The new password must differ from the current one.";
        }
        var result = await users.ChangePasswordAsync(user, currentPassword, newPassword);
        if (!result.Succeeded)
        {
            var error = string.Join(" ", result.Errors.Select(e => e.Code == "PasswordMismatch" ? "The current password is not right." : e.Description));
            await audit.RecordAsync(user.UserName!, AuditActions.ChangePassword, $"user/{user.UserName}", AuditOutcome.Failed, error, cancellationToken);
            return error;
        }
        user.MustChangePassword = false;
        await users.UpdateAsync(user);
        // Whoever knew the old password may have made tokens with it.
        var revoked = await tokens.RevokeAllAsync(user, user.UserName!, "password changed", cancellationToken);
        await audit.RecordAsync(user.UserName!, AuditActions.ChangePassword, $"user/{user.UserName}", AuditOutcome.Succeeded,
            revoked > 0 ? $"{revoked} token(s) revoked" : null, cancellationToken);
        return null;
    }
}
