from guanjia.core.jobs.models import JobRun
from guanjia.core.tests.matrix import RouteCase


def _run(world, community) -> dict:
    run = JobRun.objects.create(
        key=f"matrix:{community.pk}:{JobRun.objects.count()}",
        task="guanjia.core.jobs.tests.tasks.echo",
        label="Matrix job",
        community=community,
    )
    return {"pk": run.pk}


ROUTES = [
    RouteCase(
        "jobs:jobrun-list",
        allowed="receptionist",
        scoped=False,
        why_unscoped="lists the runs the user started",
        max_queries=12,
    ),
    RouteCase("jobs:jobrun-detail", allowed="director", kwargs=_run, max_queries=12),
    RouteCase("jobs-api:jobrun-detail", allowed="director", api=True, kwargs=_run, max_queries=11),
]
