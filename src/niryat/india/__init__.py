"""Plain Indian rules, no models: identifiers (GSTIN, PAN, IEC, Udyam, FSSAI), name keys and
transliteration, MSME size classes. Usable by every app; imports no app of the platform."""
