namespace MultiCluster.Data;

/// <summary>The stable names of audited actions; the Audit page and API filter on them.</summary>
public static class AuditActions
{
    public const string SignIn = "user.sign-in";
    public const string SignOut = "user.sign-out";
    public const string ChangePassword = "user.change-password";
    public const string BootstrapAdmin = "user.bootstrap";
}
