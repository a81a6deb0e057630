"""Notify stage: new documents matched against the watches (trigger), delivered by webhook and e-mail digest."""
