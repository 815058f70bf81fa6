"""Move the registry workbooks and spools already uploaded from MEDIA_ROOT (web-served) to the
private storage (STORAGES["private"]). Files missing from MEDIA_ROOT are left as they are."""

from django.db import migrations


def move_files(apps, schema_editor):
    from django.core.files.storage import default_storage, storages

    private = storages["private"]
    RegistryImport = apps.get_model("orgs", "RegistryImport")
    for job in RegistryImport.objects.exclude(file="", rows_file="").iterator(chunk_size=200):
        for name in (job.file.name, job.rows_file.name):
            if not name or private.exists(name) or not default_storage.exists(name):
                continue
            with default_storage.open(name, "rb") as handle:
                saved = private.save(name, handle)
            if saved == name:
                default_storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0007_registry_import_files_private")]

    operations = [migrations.RunPython(move_files, migrations.RunPython.noop, elidable=True)]
