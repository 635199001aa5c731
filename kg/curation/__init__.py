"""Operators' decisions on records: claims (`claims`) and who is who (`identity`, `changes`)."""
