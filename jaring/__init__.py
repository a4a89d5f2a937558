"""Jaring: social security for Indonesia's vulnerable informal workers."""
