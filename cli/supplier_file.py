"""Moved to cases/supplier_list.py (the console reads supplier lists too); kept for existing imports."""

from cases.supplier_list import RowError, SupplierFile, SupplierRow, read_supplier_file, validate_records

__all__ = ["RowError", "SupplierFile", "SupplierRow", "read_supplier_file", "validate_records"]
