"""Glue connection credentials and data lake catalogs (tests/policy/test_glue_credentials.py): credentials kept by
Glue with and without our key, an IAM-authenticated connection that keeps none, catalogs with and without data lake
access ("ok-" pass)."""

import pulumi
import pulumi_aws as aws

key = aws.kms.Key("glue-key", enable_key_rotation=True, deletion_window_in_days=30)
password = pulumi.Config().get_secret("sourcePassword") or pulumi.Output.secret("from-secret-config")


def connection(name: str, kind: str, kms_key_arn: object = None) -> None:
    aws.glue.Connection(
        name,
        connection_type="JDBC",
        connection_properties={"JDBC_CONNECTION_URL": "jdbc:postgresql://db.example.com:5432/app"},
        authentication_configuration={
            "authentication_type": kind,
            "kms_key_arn": kms_key_arn,
            **(
                {"basic_authentication_credentials": {"username": "etl", "password": password}}
                if kind == "BASIC"
                else {}
            ),
        },
    )


connection("connection-default-key", "BASIC")
connection("ok-connection", "BASIC", key.arn)
connection("ok-connection-iam", "IAM")
LAKE = {"catalog_type": "aws:redshift", "data_transfer_role": "arn:aws:iam::123456789012:role/transfer"}
aws.glue.Catalog(
    "lake-catalog-default-key",
    name="a",
    catalog_properties={"data_lake_access_properties": {"data_lake_access": True, **LAKE}},
)
aws.glue.Catalog(
    "ok-lake-catalog",
    name="b",
    catalog_properties={"data_lake_access_properties": {"data_lake_access": True, "kms_key": key.arn, **LAKE}},
)
aws.glue.Catalog("ok-plain-catalog", name="c")
