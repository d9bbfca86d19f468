using MultiCluster.Data;
using MultiCluster.Web.Access;
using MultiCluster.Web.Clusters;
using MultiCluster.Web.Demo;
using MultiCluster.Web.Hosting;
using MultiCluster.Web.Quotas;
using MultiCluster.Web.Triage;
using MultiCluster.Web.VirtualClusters;

var (hostArgs, adminCommand) = AdminCommands.Split(args);
var builder = WebApplication.CreateBuilder(hostArgs);

builder.UseDefaultDashboardUrl();
builder.UseAdminConsole(adminCommand);
builder.Services.AddRegistry(builder.Configuration);
builder.Services.AddReplicas();
builder.Services.AddClusterRegistry();
builder.Services.AddProblemTriage(builder.Configuration);
builder.Services.AddQuotaPolicies(builder.Configuration);
builder.Services.AddAccess(builder.Configuration);
builder.Services.AddVirtualClusters(builder.Configuration);
builder.Services.AddDemoClusters(builder.Configuration);
builder.Services.AddDashboard(builder.Configuration);

var app = builder.Build();

if (adminCommand is not null)
{
    return await app.RunAdminCommandAsync(adminCommand);
}

app.MapDashboard();

return await app.RunDashboardAsync();

/// <summary>The entry point, visible to in-process tests (WebApplicationFactory).</summary>
public partial class Program;
