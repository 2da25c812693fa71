from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "backrelief.catalog"
    label = "catalog"
    verbose_name = "Catalog"
