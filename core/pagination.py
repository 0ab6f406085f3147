from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_fetched(self, rows, request, view=None):
        """`paginate_queryset` over an object list that reads a page and its total in one go,
        `rows.fetch(offset=, limit=)` (e.g. `insurance_requests.selectors.LeadInbox`): the page
        asked for is fetched first, so Django's paginator finds the count and the slice in hand
        and the answer, errors included, is the one a queryset gets. A page number that is
        not a positive integer ("last", junk) is left to the paginator as it is."""
        page_size = self.get_page_size(request)
        try:
            number = int(request.query_params.get(self.page_query_param) or 1)
        except ValueError:
            number = 0
        if page_size and number >= 1:
            rows.fetch(offset=(number - 1) * page_size, limit=page_size)
        return self.paginate_queryset(rows, request, view=view)
