using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PreferenceStudio.Data.Migrations
{
    /// <inheritdoc />
    public partial class JobsOnHangfire : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Hangfire's own history (its schema "hangfire") now records every execution.
            migrationBuilder.DropTable(
                name: "job_executions");

            // Quartz made its tables itself (ProvisionSchema), so the model never knew them: drop whatever it made.
            migrationBuilder.Sql("""
                DO $$
                DECLARE t record;
                BEGIN
                    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'qrtz\_%'
                    LOOP
                        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', t.tablename);
                    END LOOP;
                END $$;
                """);

            // Work the old scheduler held is gone with its tables; unfinished records would wait for ever, so they
            // end now with a reason a researcher can read, and can be launched again.
            migrationBuilder.Sql("""
                UPDATE training_runs SET state = 3, finished_at = now(),
                    error = 'Interrupted by the upgrade to the Hangfire job system; launch the run again.'
                WHERE state IN (0, 1);
                UPDATE dataset_exports SET state = 3, finished_at = now(),
                    error = 'Interrupted by the upgrade to the Hangfire job system; request the export again.'
                WHERE state IN (0, 1);
                """);

            migrationBuilder.AddColumn<string>(
                name: "job_id",
                table: "training_runs",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "job_id",
                table: "training_runs");

            migrationBuilder.CreateTable(
                name: "job_executions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    error = table.Column<string>(type: "text", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    fire_instance_id = table.Column<string>(type: "character varying(140)", maxLength: 140, nullable: false),
                    is_recovery = table.Column<bool>(type: "boolean", nullable: false),
                    job_group = table.Column<string>(type: "character varying(150)", maxLength: 150, nullable: false),
                    job_name = table.Column<string>(type: "character varying(150)", maxLength: 150, nullable: false),
                    node = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    result = table.Column<string>(type: "text", nullable: true),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    state = table.Column<int>(type: "integer", nullable: false),
                    trigger = table.Column<string>(type: "character varying(301)", maxLength: 301, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_job_executions", x => x.id);
                    table.CheckConstraint("ck_job_executions_failed_has_error", "state <> 2 OR error IS NOT NULL");
                });

            migrationBuilder.CreateIndex(
                name: "ix_job_executions_job_group_job_name_started_at",
                table: "job_executions",
                columns: new[] { "job_group", "job_name", "started_at" });

            migrationBuilder.CreateIndex(
                name: "ix_job_executions_started_at",
                table: "job_executions",
                column: "started_at");

            migrationBuilder.CreateIndex(
                name: "ix_job_executions_trigger_state",
                table: "job_executions",
                columns: new[] { "trigger", "state" });
        }
    }
}
