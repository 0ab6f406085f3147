from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.page_cache import accept_header, anonymous_page_cache
from insurers.cache import VERSION_KEY as REFERENCE_VERSION
from insurers.selectors import insurer_list, line_list, province_list
from insurers.serializers import CodeNameSerializer


class _ReferenceListApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    selector = None

    @classmethod
    def as_view(cls, **initkwargs):
        # The same rows for everyone until the reference data changes: anonymous callers
        # are served the rendered JSON from the cache (issue 16 point 1).
        view = super().as_view(**initkwargs)
        return anonymous_page_cache(key_parts=(accept_header,), versions=(REFERENCE_VERSION,))(view)

    @extend_schema(responses=CodeNameSerializer(many=True))
    def get(self, request):
        return Response(CodeNameSerializer(type(self).selector(), many=True).data)


class ProvinceListApi(_ReferenceListApi):
    selector = staticmethod(province_list)


class InsurerListApi(_ReferenceListApi):
    selector = staticmethod(insurer_list)


class LineListApi(_ReferenceListApi):
    selector = staticmethod(line_list)
