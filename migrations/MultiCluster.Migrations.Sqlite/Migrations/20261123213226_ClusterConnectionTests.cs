using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MultiCluster.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ClusterConnectionTests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "InsecureSkipTlsVerify",
                table: "clusters",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "KubernetesVersion",
                table: "clusters",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastConnectionProblem",
                table: "clusters",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastConnectionTestAt",
                table: "clusters",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "InsecureSkipTlsVerify",
                table: "clusters");

            migrationBuilder.DropColumn(
                name: "KubernetesVersion",
                table: "clusters");

            migrationBuilder.DropColumn(
                name: "LastConnectionProblem",
                table: "clusters");

            migrationBuilder.DropColumn(
                name: "LastConnectionTestAt",
                table: "clusters");
        }
    }
}
