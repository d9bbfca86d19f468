using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MultiCluster.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ProblemAcknowledgements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "problem_acknowledgements",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClusterId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProblemKey = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    AcknowledgedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    AcknowledgedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SnoozedUntil = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_problem_acknowledgements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_problem_acknowledgements_clusters_ClusterId",
                        column: x => x.ClusterId,
                        principalTable: "clusters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_problem_acknowledgements_ClusterId_ProblemKey",
                table: "problem_acknowledgements",
                columns: new[] { "ClusterId", "ProblemKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "problem_acknowledgements");
        }
    }
}
