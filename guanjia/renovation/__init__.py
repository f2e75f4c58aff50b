"""装修 (spec §16, §17): applications to deposit refund, site supervision, documents."""
