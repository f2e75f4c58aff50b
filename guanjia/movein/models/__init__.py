"""交房入住 (spec §09): delivery batches, deliveries, the joint inspection and its defects."""

from .batches import (
    BATCH_MOVES,
    PRECONDITIONS,
    BatchStatus,
    DeliveryBatch,
    DeliveryBatchEvent,
)
from .deliveries import (
    DELIVERY_MOVES,
    STEP_CODES,
    STEPS,
    BuyerKind,
    DefectState,
    Delivery,
    DeliveryEvent,
    DeliveryStatus,
    VerifiedAs,
)
from .inspections import (
    DEFAULT_ITEMS,
    DEFAULT_ROOMS,
    DEFECT_MOVES,
    Defect,
    DefectEvent,
    DefectStatus,
    Inspection,
    InspectionTemplate,
    Responsible,
)

__all__ = [
    "BATCH_MOVES",
    "DEFAULT_ITEMS",
    "DEFAULT_ROOMS",
    "DEFECT_MOVES",
    "DELIVERY_MOVES",
    "PRECONDITIONS",
    "STEPS",
    "STEP_CODES",
    "BatchStatus",
    "BuyerKind",
    "Defect",
    "DefectEvent",
    "DefectState",
    "DefectStatus",
    "Delivery",
    "DeliveryBatch",
    "DeliveryBatchEvent",
    "DeliveryEvent",
    "DeliveryStatus",
    "Inspection",
    "InspectionTemplate",
    "Responsible",
    "VerifiedAs",
]
