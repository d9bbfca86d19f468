using MultiCluster.Data;
using MultiCluster.Web.Clusters;
using MultiCluster.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.UseDefaultDashboardUrl();
builder.Services.AddRegistry(builder.Configuration);
builder.Services.AddClusterRegistry();
builder.Services.AddDashboard();

var app = builder.Build();

app.MapDashboard();

return await app.RunDashboardAsync();
