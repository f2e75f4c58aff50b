from django.urls import path

from .views import findings, setup, walking

app_name = "patrols"

urlpatterns = [
    path("today/", walking.today, name="today"),
    path("", walking.PatrolList.as_view(), name="patrol-list"),
    path("<int:pk>/", walking.patrol_detail, name="patrol-detail"),
    path("<int:pk>/walk/", walking.patrol_walk, name="patrol-walk"),
    path("<int:pk>/start/", walking.patrol_start, name="patrol-start"),
    path("<int:pk>/scan/", walking.patrol_scan, name="patrol-scan"),
    path("<int:pk>/results/<int:result>/", walking.patrol_items, name="patrol-items"),
    path("<int:pk>/findings/", walking.patrol_finding, name="patrol-finding"),
    path("<int:pk>/findings/<int:finding>/photo/", walking.patrol_photo, name="patrol-photo"),
    path("<int:pk>/talks/", walking.patrol_talk, name="patrol-talk"),
    path("<int:pk>/submit/", walking.patrol_submit, name="patrol-submit"),
    path("<int:pk>/spot-check/", walking.patrol_spot_check, name="patrol-spot-check"),
    path("<int:pk>/missed-reason/", walking.patrol_explain, name="patrol-explain"),
    path("checkpoints/", setup.CheckpointList.as_view(), name="checkpoint-list"),
    path("checkpoints/new/", setup.checkpoint_create, name="checkpoint-create"),
    path("checkpoints/labels/", setup.checkpoint_labels, name="checkpoint-labels"),
    path("checkpoints/<int:pk>/label/", setup.checkpoint_label, name="checkpoint-label"),
    path(
        "checkpoints/<int:pk>/new-label/",
        setup.checkpoint_replace_label,
        name="checkpoint-replace-label",
    ),
    path("checklist/", setup.checklist, name="checklist"),
    path("checklist/<int:pk>/toggle/", setup.checklist_toggle, name="checklist-toggle"),
    path("plans/", setup.PlanList.as_view(), name="plan-list"),
    path("plans/new/", setup.plan_create, name="plan-create"),
    path("plans/templates/new/", setup.template_create, name="template-create"),
    path("plans/generate/", setup.plan_generate, name="plan-generate"),
    path("plans/storm/", setup.storm, name="storm"),
    path("plans/<int:pk>/", setup.plan_detail, name="plan-detail"),
    path("findings/", findings.FindingList.as_view(), name="finding-list"),
    path("findings/<int:pk>/", findings.finding_detail, name="finding-detail"),
    path("findings/<int:pk>/action/", findings.finding_action, name="finding-action"),
    path("findings/<int:pk>/close/", findings.finding_close, name="finding-close"),
    path("findings/<int:pk>/photo/", findings.finding_photo, name="finding-photo"),
    path("review/", findings.review, name="review"),
    path("kpis/", findings.kpi_page, name="kpis"),
    path("kpis/export/", findings.kpi_export, name="kpis-export"),
]
