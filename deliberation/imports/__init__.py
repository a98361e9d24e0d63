"""Reading files users upload (the 台账 as XLSX/CSV). Pure functions: bytes in, checked values out."""
