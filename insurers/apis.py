from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from insurers.selectors import insurer_list, line_list, province_list
from insurers.serializers import CodeNameSerializer


class _ReferenceListApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    selector = None

    @extend_schema(responses=CodeNameSerializer(many=True))
    def get(self, request):
        return Response(CodeNameSerializer(type(self).selector(), many=True).data)


class ProvinceListApi(_ReferenceListApi):
    selector = staticmethod(province_list)


class InsurerListApi(_ReferenceListApi):
    selector = staticmethod(insurer_list)


class LineListApi(_ReferenceListApi):
    selector = staticmethod(line_list)
