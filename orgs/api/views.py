from rest_framework import serializers, viewsets

from orgs.models import Region


class RegionOutputSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Region
        fields = ["id", "code", "name", "kind", "parent", "is_active"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RegionOutputSerializer
    filterset_fields = ["kind", "is_active"]
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return (
            Region.objects.visible_to(self.request.user).select_related("parent").order_by("tree_id", "lft")
        )
