from django.urls import path

from . import views

app_name = "desk"
urlpatterns = [
    path("", views.console, name="console"),
    path("keys/", views.KeyList.as_view(), name="key-list"),
    path("keys/new/", views.KeyCreate.as_view(), name="key-create"),
    path("keys/<int:pk>/", views.KeyDetail.as_view(), name="key-detail"),
    path("keys/<int:pk>/collectors/", views.KeyAddCollector.as_view(), name="key-add-collector"),
    path("keys/<int:pk>/lend/", views.KeyLend.as_view(), name="key-lend"),
    path("loans/", views.LoanList.as_view(), name="loan-list"),
    path("loans/<int:pk>/return/", views.LoanReturn.as_view(), name="loan-return"),
    path("loans/<int:pk>/overnight/", views.LoanOvernight.as_view(), name="loan-overnight"),
    path("parcels/", views.ParcelList.as_view(), name="parcel-list"),
    path("parcels/new/", views.ParcelCreate.as_view(), name="parcel-create"),
    path("parcels/held-too-long/", views.parcels_overdue, name="parcel-overdue"),
    path("parcels/<int:pk>/", views.ParcelDetail.as_view(), name="parcel-detail"),
    path("parcels/<int:pk>/collect/", views.ParcelCollect.as_view(), name="parcel-collect"),
    path("parcels/<int:pk>/return/", views.ParcelReturn.as_view(), name="parcel-return"),
    path("posts/", views.PostList.as_view(), name="post-list"),
    path("posts/new/", views.PostCreate.as_view(), name="post-create"),
    path("shifts/new/", views.ShiftCreate.as_view(), name="shift-create"),
    path("instructions/new/", views.InstructionCreate.as_view(), name="instruction-create"),
    path("found/", views.FoundItemList.as_view(), name="found-list"),
    path("found/new/", views.FoundItemCreate.as_view(), name="found-create"),
    path("found/<int:pk>/", views.FoundItemDetail.as_view(), name="found-detail"),
    path("found/<int:pk>/claim/", views.FoundItemClaim.as_view(), name="found-claim"),
    path("handovers/", views.HandoverList.as_view(), name="handover-list"),
    path("handovers/new/", views.HandoverCreate.as_view(), name="handover-create"),
    path("handovers/<int:pk>/", views.HandoverDetail.as_view(), name="handover-detail"),
    path("handovers/<int:pk>/notes/", views.HandoverNotes.as_view(), name="handover-notes"),
    path("handovers/<int:pk>/offer/", views.HandoverOffer.as_view(), name="handover-offer"),
    path("handovers/<int:pk>/check/", views.HandoverCheck.as_view(), name="handover-check"),
    path("handovers/<int:pk>/close/", views.HandoverClose.as_view(), name="handover-close"),
]
