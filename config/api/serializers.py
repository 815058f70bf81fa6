"""Serializers shared by several apps' APIs."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers


# A related row as `{"id": …, "name": …}` (read only). Its OpenAPI component keeps the name it had as
# members' private `_RefSerializer` ("_Ref", no description: a docstring here would become one), so the
# published schema and the clients generated from it do not change.
@extend_schema_serializer(component_name="_Ref")
class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
