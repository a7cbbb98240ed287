"""The rasa_sdk action server: thin glue between Rasa's tracker and clinic/."""
