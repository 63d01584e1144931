"""Bulk import of enterprises from CSV and XLSX files: read, check, match, write, report."""
