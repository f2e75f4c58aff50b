"""Uploaded files (ARCHITECTURE.md mechanism 12): checked, stored under random names, served
only through one view that checks the viewer's community and permission.

How an app adds a file field: docs/files.md. The pieces:

- `types`: the accepted types (JPEG, PNG, WebP, PDF) and how content is recognised;
- `checks.check_upload`: name, declared type and content must agree, else a field error;
- `storage.RandomName`: the `upload_to` of every file field; `rename_stored_files` for
  data migrations;
- `registry.register_file` and `file_url`: which fields are served, how they are scoped;
- `views.serve_file` (`files:serve`): the only way a stored file leaves the server.
"""
