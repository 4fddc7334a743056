using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PreferenceStudio.Data.Migrations
{
    /// <inheritdoc />
    public partial class OnlineLoop : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "round_id",
                table: "training_runs",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "round_id",
                table: "model_versions",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "loop_rounds",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    project_id = table.Column<int>(type: "integer", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    state = table.Column<int>(type: "integer", nullable: false),
                    stage = table.Column<int>(type: "integer", nullable: true),
                    settings = table.Column<string>(type: "jsonb", nullable: false),
                    started_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    labels_at_start = table.Column<int>(type: "integer", nullable: false),
                    policy_id = table.Column<int>(type: "integer", nullable: false),
                    reference_id = table.Column<int>(type: "integer", nullable: false),
                    base_policy_id = table.Column<int>(type: "integer", nullable: false),
                    reward_model_id = table.Column<int>(type: "integer", nullable: true),
                    output_policy_id = table.Column<int>(type: "integer", nullable: true),
                    human_tasks = table.Column<int>(type: "integer", nullable: false),
                    human_labelled = table.Column<int>(type: "integer", nullable: false),
                    labels_due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    human_pairs = table.Column<int>(type: "integer", nullable: false),
                    reward_model_pairs = table.Column<int>(type: "integer", nullable: false),
                    reward_accuracy = table.Column<double>(type: "double precision", nullable: true),
                    win_rate_vs_previous = table.Column<double>(type: "double precision", nullable: true),
                    win_rate_vs_base = table.Column<double>(type: "double precision", nullable: true),
                    metrics = table.Column<string>(type: "jsonb", nullable: false),
                    job_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    error = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_loop_rounds", x => x.id);
                    table.CheckConstraint("ck_loop_rounds_failed_has_error", "state <> 4 OR error IS NOT NULL");
                    table.CheckConstraint("ck_loop_rounds_labelled", "human_labelled >= 0 AND human_labelled <= human_tasks");
                    table.ForeignKey(
                        name: "fk_loop_rounds_model_versions_base_policy_id",
                        column: x => x.base_policy_id,
                        principalTable: "model_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_loop_rounds_model_versions_output_policy_id",
                        column: x => x.output_policy_id,
                        principalTable: "model_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_loop_rounds_model_versions_policy_id",
                        column: x => x.policy_id,
                        principalTable: "model_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_loop_rounds_model_versions_reference_id",
                        column: x => x.reference_id,
                        principalTable: "model_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_loop_rounds_model_versions_reward_model_id",
                        column: x => x.reward_model_id,
                        principalTable: "model_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_loop_rounds_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "loop_settings",
                columns: table => new
                {
                    project_id = table.Column<int>(type: "integer", nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    cron = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    every_new_labels = table.Column<int>(type: "integer", nullable: true),
                    responses_per_prompt = table.Column<int>(type: "integer", nullable: false),
                    prompts_per_round = table.Column<int>(type: "integer", nullable: false),
                    human_share = table.Column<double>(type: "double precision", nullable: false),
                    label_deadline = table.Column<TimeSpan>(type: "interval", nullable: false),
                    eval_prompts = table.Column<int>(type: "integer", nullable: false),
                    base_policy_id = table.Column<int>(type: "integer", nullable: false),
                    policy_id = table.Column<int>(type: "integer", nullable: false),
                    reward_config = table.Column<string>(type: "jsonb", nullable: false),
                    dpo_config = table.Column<string>(type: "jsonb", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_loop_settings", x => x.project_id);
                    table.CheckConstraint("ck_loop_settings_human_share", "human_share >= 0 AND human_share <= 1");
                    table.CheckConstraint("ck_loop_settings_k", "responses_per_prompt BETWEEN 2 AND 16");
                    table.CheckConstraint("ck_loop_settings_trigger", "NOT enabled OR cron IS NOT NULL OR every_new_labels IS NOT NULL");
                    table.ForeignKey(
                        name: "fk_loop_settings_model_versions_base_policy_id",
                        column: x => x.base_policy_id,
                        principalTable: "model_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_loop_settings_model_versions_policy_id",
                        column: x => x.policy_id,
                        principalTable: "model_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_loop_settings_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "response_scores",
                columns: table => new
                {
                    response_id = table.Column<int>(type: "integer", nullable: false),
                    reward_model_id = table.Column<int>(type: "integer", nullable: false),
                    score = table.Column<double>(type: "double precision", nullable: false),
                    scored_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_response_scores", x => new { x.response_id, x.reward_model_id });
                    table.ForeignKey(
                        name: "fk_response_scores_model_versions_reward_model_id",
                        column: x => x.reward_model_id,
                        principalTable: "model_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_response_scores_responses_response_id",
                        column: x => x.response_id,
                        principalTable: "responses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "loop_round_stages",
                columns: table => new
                {
                    kind = table.Column<int>(type: "integer", nullable: false),
                    round_id = table.Column<long>(type: "bigint", nullable: false),
                    done = table.Column<int>(type: "integer", nullable: false),
                    total = table.Column<int>(type: "integer", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    run_id = table.Column<long>(type: "bigint", nullable: true),
                    summary = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_loop_round_stages", x => new { x.round_id, x.kind });
                    table.CheckConstraint("ck_loop_round_stages_progress", "done >= 0 AND done <= total");
                    table.ForeignKey(
                        name: "fk_loop_round_stages_loop_rounds_round_id",
                        column: x => x.round_id,
                        principalTable: "loop_rounds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_loop_round_stages_training_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "training_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_training_runs_round_id",
                table: "training_runs",
                column: "round_id");

            migrationBuilder.CreateIndex(
                name: "ix_model_versions_round_id",
                table: "model_versions",
                column: "round_id");

            migrationBuilder.CreateIndex(
                name: "ix_loop_round_stages_run_id",
                table: "loop_round_stages",
                column: "run_id");

            migrationBuilder.CreateIndex(
                name: "ix_loop_rounds_base_policy_id",
                table: "loop_rounds",
                column: "base_policy_id");

            migrationBuilder.CreateIndex(
                name: "ix_loop_rounds_output_policy_id",
                table: "loop_rounds",
                column: "output_policy_id");

            migrationBuilder.CreateIndex(
                name: "ix_loop_rounds_policy_id",
                table: "loop_rounds",
                column: "policy_id");

            migrationBuilder.CreateIndex(
                name: "ix_loop_rounds_project_id_number",
                table: "loop_rounds",
                columns: new[] { "project_id", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_loop_rounds_reference_id",
                table: "loop_rounds",
                column: "reference_id");

            migrationBuilder.CreateIndex(
                name: "ix_loop_rounds_reward_model_id",
                table: "loop_rounds",
                column: "reward_model_id");

            migrationBuilder.CreateIndex(
                name: "ux_loop_rounds_one_unfinished_per_project",
                table: "loop_rounds",
                column: "project_id",
                unique: true,
                filter: "state IN (0, 1, 2)");

            migrationBuilder.CreateIndex(
                name: "ix_loop_settings_base_policy_id",
                table: "loop_settings",
                column: "base_policy_id");

            migrationBuilder.CreateIndex(
                name: "ix_loop_settings_policy_id",
                table: "loop_settings",
                column: "policy_id");

            migrationBuilder.CreateIndex(
                name: "ix_response_scores_reward_model_id",
                table: "response_scores",
                column: "reward_model_id");

            migrationBuilder.AddForeignKey(
                name: "fk_model_versions_loop_rounds_round_id",
                table: "model_versions",
                column: "round_id",
                principalTable: "loop_rounds",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_training_runs_loop_rounds_round_id",
                table: "training_runs",
                column: "round_id",
                principalTable: "loop_rounds",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_model_versions_loop_rounds_round_id",
                table: "model_versions");

            migrationBuilder.DropForeignKey(
                name: "fk_training_runs_loop_rounds_round_id",
                table: "training_runs");

            migrationBuilder.DropTable(
                name: "loop_round_stages");

            migrationBuilder.DropTable(
                name: "loop_settings");

            migrationBuilder.DropTable(
                name: "response_scores");

            migrationBuilder.DropTable(
                name: "loop_rounds");

            migrationBuilder.DropIndex(
                name: "ix_training_runs_round_id",
                table: "training_runs");

            migrationBuilder.DropIndex(
                name: "ix_model_versions_round_id",
                table: "model_versions");

            migrationBuilder.DropColumn(
                name: "round_id",
                table: "training_runs");

            migrationBuilder.DropColumn(
                name: "round_id",
                table: "model_versions");
        }
    }
}
