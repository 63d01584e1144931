from ninja import NinjaAPI

api = NinjaAPI(title="Niryat API", version="1", urls_namespace="api-v1")
