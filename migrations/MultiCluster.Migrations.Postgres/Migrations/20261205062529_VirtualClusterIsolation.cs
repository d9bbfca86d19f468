using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MultiCluster.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class VirtualClusterIsolation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "virtual_cluster_isolations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Host = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    Namespace = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    Name = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    Generation = table.Column<long>(type: "bigint", nullable: false),
                    Spec = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_virtual_cluster_isolations", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_virtual_cluster_isolations_Host_Name",
                table: "virtual_cluster_isolations",
                columns: new[] { "Host", "Name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "virtual_cluster_isolations");
        }
    }
}
