from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "jaring.linkage"
    label = "linkage"
    verbose_name = "Deteksi Duplikat"
