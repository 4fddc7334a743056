using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PreferenceStudio.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "text", nullable: true),
                    xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "job_executions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    job_name = table.Column<string>(type: "character varying(150)", maxLength: 150, nullable: false),
                    job_group = table.Column<string>(type: "character varying(150)", maxLength: 150, nullable: false),
                    trigger = table.Column<string>(type: "character varying(301)", maxLength: 301, nullable: false),
                    fire_instance_id = table.Column<string>(type: "character varying(140)", maxLength: 140, nullable: false),
                    node = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    is_recovery = table.Column<bool>(type: "boolean", nullable: false),
                    state = table.Column<int>(type: "integer", nullable: false),
                    error = table.Column<string>(type: "text", nullable: true),
                    result = table.Column<string>(type: "text", nullable: true),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_job_executions", x => x.id);
                    table.CheckConstraint("ck_job_executions_failed_has_error", "state <> 2 OR error IS NOT NULL");
                });

            migrationBuilder.CreateTable(
                name: "projects",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    slug = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    guidelines_markdown = table.Column<string>(type: "text", nullable: false),
                    kinds = table.Column<int>(type: "integer", nullable: false),
                    overlap = table.Column<int>(type: "integer", nullable: false),
                    lease_duration = table.Column<TimeSpan>(type: "interval", nullable: false),
                    gold_rate = table.Column<double>(type: "double precision", nullable: false),
                    allow_ranking_ties = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_projects", x => x.id);
                    table.CheckConstraint("ck_projects_gold_rate", "gold_rate >= 0 AND gold_rate <= 1");
                    table.CheckConstraint("ck_projects_kinds", "kinds > 0");
                    table.CheckConstraint("ck_projects_overlap", "overlap BETWEEN 1 AND 16");
                });

            migrationBuilder.CreateTable(
                name: "roles",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    concurrency_stamp = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_roles", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    display_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    password_hash = table.Column<string>(type: "text", nullable: true),
                    security_stamp = table.Column<string>(type: "text", nullable: true),
                    concurrency_stamp = table.Column<string>(type: "text", nullable: true),
                    phone_number = table.Column<string>(type: "text", nullable: true),
                    phone_number_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    two_factor_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    lockout_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lockout_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    access_failed_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_users", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "dataset_exports",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    project_id = table.Column<int>(type: "integer", nullable: false),
                    format = table.Column<int>(type: "integer", nullable: false),
                    state = table.Column<int>(type: "integer", nullable: false),
                    filter = table.Column<string>(type: "jsonb", nullable: false),
                    file_path = table.Column<string>(type: "text", nullable: true),
                    row_count = table.Column<int>(type: "integer", nullable: false),
                    error = table.Column<string>(type: "text", nullable: true),
                    created_by = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dataset_exports", x => x.id);
                    table.ForeignKey(
                        name: "fk_dataset_exports_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "principles",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    project_id = table.Column<int>(type: "integer", nullable: false),
                    key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    order = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_principles", x => x.id);
                    table.ForeignKey(
                        name: "fk_principles_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "prompts",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    project_id = table.Column<int>(type: "integer", nullable: false),
                    external_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    metadata = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    conversation = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_prompts", x => x.id);
                    table.CheckConstraint("ck_prompts_conversation", "jsonb_array_length(conversation) >= 1");
                    table.ForeignKey(
                        name: "fk_prompts_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "span_labels",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    project_id = table.Column<int>(type: "integer", nullable: false),
                    key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "text", nullable: false),
                    uses_severity = table.Column<bool>(type: "boolean", nullable: false),
                    order = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_span_labels", x => x.id);
                    table.ForeignKey(
                        name: "fk_span_labels_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "role_claims",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    role_id = table.Column<string>(type: "text", nullable: false),
                    claim_type = table.Column<string>(type: "text", nullable: true),
                    claim_value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_role_claims", x => x.id);
                    table.ForeignKey(
                        name: "fk_role_claims_roles_role_id",
                        column: x => x.role_id,
                        principalTable: "roles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_claims",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    claim_type = table.Column<string>(type: "text", nullable: true),
                    claim_value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_claims", x => x.id);
                    table.ForeignKey(
                        name: "fk_user_claims_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_logins",
                columns: table => new
                {
                    login_provider = table.Column<string>(type: "text", nullable: false),
                    provider_key = table.Column<string>(type: "text", nullable: false),
                    provider_display_name = table.Column<string>(type: "text", nullable: true),
                    user_id = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_logins", x => new { x.login_provider, x.provider_key });
                    table.ForeignKey(
                        name: "fk_user_logins_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_roles",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    role_id = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_roles", x => new { x.user_id, x.role_id });
                    table.ForeignKey(
                        name: "fk_user_roles_roles_role_id",
                        column: x => x.role_id,
                        principalTable: "roles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_user_roles_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_tokens",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    login_provider = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_tokens", x => new { x.user_id, x.login_provider, x.name });
                    table.ForeignKey(
                        name: "fk_user_tokens_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "annotation_tasks",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    project_id = table.Column<int>(type: "integer", nullable: false),
                    prompt_id = table.Column<int>(type: "integer", nullable: false),
                    kind = table.Column<int>(type: "integer", nullable: false),
                    state = table.Column<int>(type: "integer", nullable: false),
                    priority = table.Column<int>(type: "integer", nullable: false),
                    required_annotations = table.Column<int>(type: "integer", nullable: false),
                    completed_annotations = table.Column<int>(type: "integer", nullable: false),
                    is_gold = table.Column<bool>(type: "boolean", nullable: false),
                    gold_answer = table.Column<string>(type: "jsonb", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_annotation_tasks", x => x.id);
                    table.CheckConstraint("ck_annotation_tasks_completed", "completed_annotations BETWEEN 0 AND required_annotations");
                    table.CheckConstraint("ck_annotation_tasks_gold", "NOT is_gold OR gold_answer IS NOT NULL");
                    table.CheckConstraint("ck_annotation_tasks_required", "required_annotations >= 1");
                    table.ForeignKey(
                        name: "fk_annotation_tasks_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_annotation_tasks_prompts_prompt_id",
                        column: x => x.prompt_id,
                        principalTable: "prompts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "assignments",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    task_id = table.Column<long>(type: "bigint", nullable: false),
                    annotator_id = table.Column<string>(type: "text", nullable: false),
                    slot = table.Column<int>(type: "integer", nullable: false),
                    state = table.Column<int>(type: "integer", nullable: false),
                    leased_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    skip_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_assignments", x => x.id);
                    table.CheckConstraint("ck_assignments_lease", "expires_at > leased_at");
                    table.CheckConstraint("ck_assignments_slot", "slot >= 1");
                    table.ForeignKey(
                        name: "fk_assignments_annotation_tasks_task_id",
                        column: x => x.task_id,
                        principalTable: "annotation_tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_assignments_users_annotator_id",
                        column: x => x.annotator_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "annotations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<int>(type: "integer", nullable: false),
                    task_id = table.Column<long>(type: "bigint", nullable: false),
                    annotator_id = table.Column<string>(type: "text", nullable: false),
                    assignment_id = table.Column<long>(type: "bigint", nullable: true),
                    idempotency_key = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    previous_version_id = table.Column<long>(type: "bigint", nullable: true),
                    superseded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    time_spent_ms = table.Column<long>(type: "bigint", nullable: false),
                    shown_order = table.Column<int[]>(type: "integer[]", nullable: false),
                    rationale = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_annotations", x => x.id);
                    table.CheckConstraint("ck_annotations_time_spent", "time_spent_ms >= 0");
                    table.CheckConstraint("ck_annotations_version", "version >= 1 AND (version = 1) = (previous_version_id IS NULL)");
                    table.ForeignKey(
                        name: "fk_annotations_annotations_previous_version_id",
                        column: x => x.previous_version_id,
                        principalTable: "annotations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_annotations_assignments_assignment_id",
                        column: x => x.assignment_id,
                        principalTable: "assignments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_annotations_tasks_task_id",
                        column: x => x.task_id,
                        principalTable: "annotation_tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_annotations_users_annotator_id",
                        column: x => x.annotator_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "principle_annotations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_principle_annotations", x => x.id);
                    table.ForeignKey(
                        name: "fk_principle_annotations_annotations_id",
                        column: x => x.id,
                        principalTable: "annotations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ranking_annotations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ranking_annotations", x => x.id);
                    table.ForeignKey(
                        name: "fk_ranking_annotations_annotations_id",
                        column: x => x.id,
                        principalTable: "annotations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "span_annotations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_span_annotations", x => x.id);
                    table.ForeignKey(
                        name: "fk_span_annotations_annotations_id",
                        column: x => x.id,
                        principalTable: "annotations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "annotation_spans",
                columns: table => new
                {
                    annotation_id = table.Column<long>(type: "bigint", nullable: false),
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    response_id = table.Column<int>(type: "integer", nullable: false),
                    start_offset = table.Column<int>(type: "integer", nullable: false),
                    end_offset = table.Column<int>(type: "integer", nullable: false),
                    label_id = table.Column<int>(type: "integer", nullable: false),
                    severity = table.Column<int>(type: "integer", nullable: true),
                    comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_annotation_spans", x => new { x.annotation_id, x.id });
                    table.CheckConstraint("ck_annotation_spans_range", "start_offset >= 0 AND end_offset > start_offset");
                    table.ForeignKey(
                        name: "fk_annotation_spans_span_annotations_annotation_id",
                        column: x => x.annotation_id,
                        principalTable: "span_annotations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_annotation_spans_span_labels_label_id",
                        column: x => x.label_id,
                        principalTable: "span_labels",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "model_versions",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    kind = table.Column<int>(type: "integer", nullable: false),
                    parent_id = table.Column<int>(type: "integer", nullable: true),
                    training_run_id = table.Column<long>(type: "bigint", nullable: true),
                    checkpoint_path = table.Column<string>(type: "text", nullable: false),
                    metrics = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_model_versions", x => x.id);
                    table.ForeignKey(
                        name: "fk_model_versions_model_versions_parent_id",
                        column: x => x.parent_id,
                        principalTable: "model_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "responses",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    prompt_id = table.Column<int>(type: "integer", nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    source = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    model_version_id = table.Column<int>(type: "integer", nullable: true),
                    metadata = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_responses", x => x.id);
                    table.ForeignKey(
                        name: "fk_responses_model_versions_model_version_id",
                        column: x => x.model_version_id,
                        principalTable: "model_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_responses_prompts_prompt_id",
                        column: x => x.prompt_id,
                        principalTable: "prompts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "training_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    project_id = table.Column<int>(type: "integer", nullable: true),
                    kind = table.Column<int>(type: "integer", nullable: false),
                    config = table.Column<string>(type: "jsonb", nullable: false),
                    state = table.Column<int>(type: "integer", nullable: false),
                    step = table.Column<int>(type: "integer", nullable: false),
                    total_steps = table.Column<int>(type: "integer", nullable: false),
                    error = table.Column<string>(type: "text", nullable: true),
                    created_by = table.Column<string>(type: "text", nullable: false),
                    node = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    base_model_version_id = table.Column<int>(type: "integer", nullable: true),
                    output_model_version_id = table.Column<int>(type: "integer", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_training_runs", x => x.id);
                    table.CheckConstraint("ck_training_runs_failed_has_error", "state <> 3 OR error IS NOT NULL");
                    table.CheckConstraint("ck_training_runs_step", "step >= 0 AND (total_steps = 0 OR step <= total_steps)");
                    table.ForeignKey(
                        name: "fk_training_runs_model_versions_base_model_version_id",
                        column: x => x.base_model_version_id,
                        principalTable: "model_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_training_runs_model_versions_output_model_version_id",
                        column: x => x.output_model_version_id,
                        principalTable: "model_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_training_runs_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "pairwise_annotations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    response_a_id = table.Column<int>(type: "integer", nullable: false),
                    response_b_id = table.Column<int>(type: "integer", nullable: false),
                    preference = table.Column<int>(type: "integer", nullable: false),
                    both_bad = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pairwise_annotations", x => x.id);
                    table.CheckConstraint("ck_pairwise_distinct", "response_a_id <> response_b_id");
                    table.CheckConstraint("ck_pairwise_preference", "preference BETWEEN -2 AND 2");
                    table.ForeignKey(
                        name: "fk_pairwise_annotations_annotations_id",
                        column: x => x.id,
                        principalTable: "annotations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_pairwise_annotations_responses_response_a_id",
                        column: x => x.response_a_id,
                        principalTable: "responses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_pairwise_annotations_responses_response_b_id",
                        column: x => x.response_b_id,
                        principalTable: "responses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "principle_verdicts",
                columns: table => new
                {
                    response_id = table.Column<int>(type: "integer", nullable: false),
                    principle_id = table.Column<int>(type: "integer", nullable: false),
                    annotation_id = table.Column<long>(type: "bigint", nullable: false),
                    verdict = table.Column<int>(type: "integer", nullable: false),
                    evidence = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_principle_verdicts", x => new { x.annotation_id, x.response_id, x.principle_id });
                    table.CheckConstraint("ck_principle_verdicts_verdict", "verdict IN (0, 1, 2)");
                    table.ForeignKey(
                        name: "fk_principle_verdicts_principle_annotations_annotation_id",
                        column: x => x.annotation_id,
                        principalTable: "principle_annotations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_principle_verdicts_principles_principle_id",
                        column: x => x.principle_id,
                        principalTable: "principles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_principle_verdicts_responses_response_id",
                        column: x => x.response_id,
                        principalTable: "responses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ranking_entries",
                columns: table => new
                {
                    response_id = table.Column<int>(type: "integer", nullable: false),
                    annotation_id = table.Column<long>(type: "bigint", nullable: false),
                    rank = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ranking_entries", x => new { x.annotation_id, x.response_id });
                    table.CheckConstraint("ck_ranking_entries_rank", "rank >= 1");
                    table.ForeignKey(
                        name: "fk_ranking_entries_ranking_annotations_annotation_id",
                        column: x => x.annotation_id,
                        principalTable: "ranking_annotations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_ranking_entries_responses_response_id",
                        column: x => x.response_id,
                        principalTable: "responses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "response_flags",
                columns: table => new
                {
                    response_id = table.Column<int>(type: "integer", nullable: false),
                    flag = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    annotation_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_response_flags", x => new { x.annotation_id, x.response_id, x.flag });
                    table.ForeignKey(
                        name: "fk_response_flags_responses_response_id",
                        column: x => x.response_id,
                        principalTable: "responses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_response_flags_span_annotations_annotation_id",
                        column: x => x.annotation_id,
                        principalTable: "span_annotations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "task_responses",
                columns: table => new
                {
                    task_id = table.Column<long>(type: "bigint", nullable: false),
                    response_id = table.Column<int>(type: "integer", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_task_responses", x => new { x.task_id, x.response_id });
                    table.ForeignKey(
                        name: "fk_task_responses_annotation_tasks_task_id",
                        column: x => x.task_id,
                        principalTable: "annotation_tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_task_responses_responses_response_id",
                        column: x => x.response_id,
                        principalTable: "responses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "run_metrics",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    step = table.Column<int>(type: "integer", nullable: false),
                    key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    value = table.Column<double>(type: "double precision", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_run_metrics", x => x.id);
                    table.ForeignKey(
                        name: "fk_run_metrics_training_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "training_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_annotation_spans_label_id",
                table: "annotation_spans",
                column: "label_id");

            migrationBuilder.CreateIndex(
                name: "ix_annotation_spans_response_id",
                table: "annotation_spans",
                column: "response_id");

            migrationBuilder.CreateIndex(
                name: "ix_annotation_tasks_next_open",
                table: "annotation_tasks",
                columns: new[] { "project_id", "priority", "id" },
                descending: new[] { false, true, false },
                filter: "state = 0");

            migrationBuilder.CreateIndex(
                name: "ix_annotation_tasks_project_id_state",
                table: "annotation_tasks",
                columns: new[] { "project_id", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_annotation_tasks_prompt_id",
                table: "annotation_tasks",
                column: "prompt_id");

            migrationBuilder.CreateIndex(
                name: "ix_annotations_annotator_id_idempotency_key",
                table: "annotations",
                columns: new[] { "annotator_id", "idempotency_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_annotations_assignment_id",
                table: "annotations",
                column: "assignment_id");

            migrationBuilder.CreateIndex(
                name: "ix_annotations_created_at",
                table: "annotations",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_annotations_previous_version_id",
                table: "annotations",
                column: "previous_version_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_annotations_task_id_annotator_id_version",
                table: "annotations",
                columns: new[] { "task_id", "annotator_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_annotations_current",
                table: "annotations",
                columns: new[] { "task_id", "annotator_id" },
                unique: true,
                filter: "superseded_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_assignments_active_expiry",
                table: "assignments",
                column: "expires_at",
                filter: "state = 0");

            migrationBuilder.CreateIndex(
                name: "ix_assignments_annotator_id_state",
                table: "assignments",
                columns: new[] { "annotator_id", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_assignments_task_id_annotator_id",
                table: "assignments",
                columns: new[] { "task_id", "annotator_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_assignments_live_slot",
                table: "assignments",
                columns: new[] { "task_id", "slot" },
                unique: true,
                filter: "state IN (0, 1)");

            migrationBuilder.CreateIndex(
                name: "ix_dataset_exports_project_id_created_at",
                table: "dataset_exports",
                columns: new[] { "project_id", "created_at" });

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

            migrationBuilder.CreateIndex(
                name: "ix_model_versions_name",
                table: "model_versions",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_model_versions_parent_id",
                table: "model_versions",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "ix_model_versions_training_run_id",
                table: "model_versions",
                column: "training_run_id");

            migrationBuilder.CreateIndex(
                name: "ix_pairwise_annotations_response_a_id",
                table: "pairwise_annotations",
                column: "response_a_id");

            migrationBuilder.CreateIndex(
                name: "ix_pairwise_annotations_response_b_id",
                table: "pairwise_annotations",
                column: "response_b_id");

            migrationBuilder.CreateIndex(
                name: "ix_principle_verdicts_principle_id",
                table: "principle_verdicts",
                column: "principle_id");

            migrationBuilder.CreateIndex(
                name: "ix_principle_verdicts_response_id",
                table: "principle_verdicts",
                column: "response_id");

            migrationBuilder.CreateIndex(
                name: "ix_principles_project_id_key",
                table: "principles",
                columns: new[] { "project_id", "key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_projects_slug",
                table: "projects",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_prompts_project_id_external_id",
                table: "prompts",
                columns: new[] { "project_id", "external_id" },
                unique: true,
                filter: "external_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_ranking_entries_response_id",
                table: "ranking_entries",
                column: "response_id");

            migrationBuilder.CreateIndex(
                name: "ix_response_flags_response_id",
                table: "response_flags",
                column: "response_id");

            migrationBuilder.CreateIndex(
                name: "ix_responses_model_version_id",
                table: "responses",
                column: "model_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_responses_prompt_id",
                table: "responses",
                column: "prompt_id");

            migrationBuilder.CreateIndex(
                name: "ix_role_claims_role_id",
                table: "role_claims",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "roles",
                column: "normalized_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_run_metrics_run_id_key_step",
                table: "run_metrics",
                columns: new[] { "run_id", "key", "step" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_span_labels_project_id_key",
                table: "span_labels",
                columns: new[] { "project_id", "key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_task_responses_response_id",
                table: "task_responses",
                column: "response_id");

            migrationBuilder.CreateIndex(
                name: "ix_task_responses_task_id_position",
                table: "task_responses",
                columns: new[] { "task_id", "position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_training_runs_base_model_version_id",
                table: "training_runs",
                column: "base_model_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_training_runs_output_model_version_id",
                table: "training_runs",
                column: "output_model_version_id");

            migrationBuilder.CreateIndex(
                name: "ix_training_runs_project_id",
                table: "training_runs",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "ix_training_runs_state_created_at",
                table: "training_runs",
                columns: new[] { "state", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_user_claims_user_id",
                table: "user_claims",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_user_logins_user_id",
                table: "user_logins",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_user_roles_role_id",
                table: "user_roles",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "users",
                column: "normalized_email");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "users",
                column: "normalized_user_name",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_annotation_spans_responses_response_id",
                table: "annotation_spans",
                column: "response_id",
                principalTable: "responses",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_model_versions_training_runs_training_run_id",
                table: "model_versions",
                column: "training_run_id",
                principalTable: "training_runs",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_training_runs_projects_project_id",
                table: "training_runs");

            migrationBuilder.DropForeignKey(
                name: "fk_model_versions_training_runs_training_run_id",
                table: "model_versions");

            migrationBuilder.DropTable(
                name: "annotation_spans");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "dataset_exports");

            migrationBuilder.DropTable(
                name: "job_executions");

            migrationBuilder.DropTable(
                name: "pairwise_annotations");

            migrationBuilder.DropTable(
                name: "principle_verdicts");

            migrationBuilder.DropTable(
                name: "ranking_entries");

            migrationBuilder.DropTable(
                name: "response_flags");

            migrationBuilder.DropTable(
                name: "role_claims");

            migrationBuilder.DropTable(
                name: "run_metrics");

            migrationBuilder.DropTable(
                name: "task_responses");

            migrationBuilder.DropTable(
                name: "user_claims");

            migrationBuilder.DropTable(
                name: "user_logins");

            migrationBuilder.DropTable(
                name: "user_roles");

            migrationBuilder.DropTable(
                name: "user_tokens");

            migrationBuilder.DropTable(
                name: "span_labels");

            migrationBuilder.DropTable(
                name: "principle_annotations");

            migrationBuilder.DropTable(
                name: "principles");

            migrationBuilder.DropTable(
                name: "ranking_annotations");

            migrationBuilder.DropTable(
                name: "span_annotations");

            migrationBuilder.DropTable(
                name: "responses");

            migrationBuilder.DropTable(
                name: "roles");

            migrationBuilder.DropTable(
                name: "annotations");

            migrationBuilder.DropTable(
                name: "assignments");

            migrationBuilder.DropTable(
                name: "annotation_tasks");

            migrationBuilder.DropTable(
                name: "users");

            migrationBuilder.DropTable(
                name: "prompts");

            migrationBuilder.DropTable(
                name: "projects");

            migrationBuilder.DropTable(
                name: "training_runs");

            migrationBuilder.DropTable(
                name: "model_versions");
        }
    }
}
