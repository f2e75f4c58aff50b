"""Every write of the training app (one module per subject)."""

from .assessments import (
    QuestionData,
    TestData,
    create_test,
    record_result,
    suggested_pass_mark,
    take_test,
)
from .inductions import assign_induction, assign_new_hires, programme
from .plans import (
    PlanContent,
    annual_due_on,
    create_plan,
    decide_plan,
    remind_annual_plans,
    submit_plan,
    update_plan,
)
from .sessions import (
    SessionData,
    add_material,
    cancel_session,
    hold_session,
    move_session,
    record_sheet,
    schedule_session,
    sign_in,
    upload_sheet,
)

__all__ = [
    "PlanContent",
    "QuestionData",
    "SessionData",
    "TestData",
    "add_material",
    "annual_due_on",
    "assign_induction",
    "assign_new_hires",
    "cancel_session",
    "create_plan",
    "create_test",
    "decide_plan",
    "hold_session",
    "move_session",
    "programme",
    "record_result",
    "record_sheet",
    "remind_annual_plans",
    "schedule_session",
    "sign_in",
    "submit_plan",
    "suggested_pass_mark",
    "take_test",
    "update_plan",
    "upload_sheet",
]
